namespace Sluice.Bench.Chaos;

/// <summary>What one category of chaos tried and what broke, with the first failures as examples.</summary>
public sealed class ChaosTally(ChaosWarehouse warehouse, string category, string what)
{
    private const int MaxExamples = 5;
    private readonly List<string> _examples = [];

    public ChaosWarehouse Warehouse { get; } = warehouse;

    public string Category { get; } = category;

    /// <summary>What one try is and what counts as a failure, for the report.</summary>
    public string What { get; } = what;

    public int Tried { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Tries whose fault came while the work was under way: kills before the command finished.</summary>
    public int Interrupted { get; set; }

    /// <summary>What the tries amounted to beyond pass and fail.</summary>
    public string? Notes => Category.StartsWith("kill", StringComparison.Ordinal) && Category != "kill server" ? $"{Interrupted} killed before finishing" : null;

    public IReadOnlyList<string> Examples => _examples;

    /// <summary>Counts a try and, when <paramref name="failures"/> holds any, a failure with its first message.</summary>
    public void Add(IReadOnlyCollection<string> failures, string context)
    {
        lock (_examples)
        {
            Tried++;
            if (failures.Count == 0)
            {
                return;
            }

            Failed++;
            if (_examples.Count < MaxExamples)
            {
                _examples.Add($"{context}: {string.Join("; ", failures.Take(3))}");
            }
        }
    }
}
