using System.Globalization;

namespace Sluice.Bench;

/// <summary>Command-line settings of the scale benchmark; sizes other than the default are said to be so.</summary>
internal sealed record ScaleOptions
{
    public static readonly IReadOnlyList<long> DefaultSizes = [1_000_000, 10_000_000];
    public const int DefaultRequests = 20;
    public const int DefaultWarmups = 3;

    /// <summary>The sluice CLI's dll, run with dotnet.</summary>
    public string? Sluice { get; init; }

    /// <summary>Fact rows per run, smallest first; the events are a fifth as many.</summary>
    public IReadOnlyList<long> Sizes { get; init; } = DefaultSizes;

    /// <summary>Timed requests per engine, size and question.</summary>
    public int Requests { get; init; } = DefaultRequests;

    /// <summary>Requests before the timed ones, not timed.</summary>
    public int Warmups { get; init; } = DefaultWarmups;

    /// <summary>The engines to run: duckdb, postgres, clickhouse (all by default).</summary>
    public IReadOnlyList<string> Engines { get; init; } = AllEngines;

    public static readonly IReadOnlyList<string> AllEngines = ["duckdb", "postgres", "clickhouse"];

    public string? WritePath { get; init; }

    public string? Revision { get; init; }

    public bool IsDefaultSize => Sizes.SequenceEqual(DefaultSizes) && Requests >= DefaultRequests && Warmups >= DefaultWarmups && Engines.Count == AllEngines.Count;

    public const string Usage = """
        Usage: Sluice.Bench.Scale --sluice <sluice.dll> [--write <markdown file>] [--revision <text>] [--sizes 1m,10m] [--requests <n>] [--warmups <n>]
          --sluice    the sluice CLI to serve with (src/Sluice.Cli/bin/Release/net10.0/sluice.dll)
          --write     rewrite the "Scale" section of this file (created if missing)
          --revision  what is being measured, such as a git commit, recorded in the markdown
          --sizes     fact rows per run, comma-separated, with k or m: 100k for a smoke run,
                      1m,10m (the default), 1m,10m,100m where the disk has room
          --requests  timed requests per engine, size and question (default 20)
          --warmups   untimed requests before them (default 3)
          --engines   some of duckdb,postgres,clickhouse (default all three)
        """;

    public static ScaleOptions Parse(IReadOnlyList<string> args)
    {
        var options = BenchArguments.Parse(args, new ScaleOptions(), Usage, (options, name, value) => name switch
        {
            "--sluice" => options with { Sluice = value },
            "--write" => options with { WritePath = value },
            "--revision" => options with { Revision = value },
            "--sizes" => options with { Sizes = ParseSizes(value) },
            "--requests" => options with { Requests = (int)BenchArguments.Positive(name, value, 10_000) },
            "--warmups" => options with { Warmups = (int)BenchArguments.Positive(name, value, 1_000) },
            "--engines" => options with { Engines = ParseEngines(value) },
            _ => null,
        });
        return options.Sluice is null ? throw new ArgumentException("--sluice is required: the sluice CLI's dll.\n" + Usage) : options;
    }

    /// <summary>Reads <c>duckdb,clickhouse</c>: some of <see cref="AllEngines"/>, each once.</summary>
    public static IReadOnlyList<string> ParseEngines(string value)
    {
        var engines = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e => e.ToLowerInvariant()).Distinct().ToList();
        return engines.Count > 0 && engines.All(AllEngines.Contains)
            ? [.. AllEngines.Where(engines.Contains)]
            : throw new ArgumentException($"--engines takes some of {string.Join(", ", AllEngines)}, comma-separated, not '{value}'.\n{Usage}");
    }

    /// <summary>Reads <c>100k,1m,10m</c>; the sizes come back smallest first, each once.</summary>
    public static IReadOnlyList<long> ParseSizes(string value)
    {
        var sizes = new List<long>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (digits, unit) = char.ToLowerInvariant(part[^1]) switch
            {
                'k' => (part[..^1], 1_000L),
                'm' => (part[..^1], 1_000_000L),
                _ => (part, 1L),
            };
            if (!long.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number <= 0 || number * unit < 1_000)
            {
                throw new ArgumentException($"--sizes takes fact row counts of at least 1000 such as 100k,1m,10m, not '{part}'.\n{Usage}");
            }

            sizes.Add(number * unit);
        }

        return sizes.Count == 0 ? throw new ArgumentException($"--sizes names no size.\n{Usage}") : [.. sizes.Distinct().Order()];
    }

    /// <summary>How a size is spelled in tables: 100k, 1M, 10M.</summary>
    public static string Label(long rows) => rows % 1_000_000 == 0
        ? (rows / 1_000_000).ToString(CultureInfo.InvariantCulture) + "M"
        : rows % 1_000 == 0 ? (rows / 1_000).ToString(CultureInfo.InvariantCulture) + "k" : Format.Count(rows);
}
