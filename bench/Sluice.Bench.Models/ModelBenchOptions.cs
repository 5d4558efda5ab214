namespace Sluice.Bench;

/// <summary>
/// Command-line settings of the models benchmark. The defaults are the published configuration;
/// smaller sizes exist to smoke-test the program, and such runs say so in their output.
/// </summary>
internal sealed record ModelBenchOptions
{
    public const int DefaultModels = 1000;
    public const long DefaultFactRows = 10_000_000;
    public const int DefaultDays = 365;
    public const int DefaultRuns = 3;

    /// <summary>Models in the generated project.</summary>
    public int Models { get; init; } = DefaultModels;

    /// <summary>Rows of the fact table under the backfilled mart.</summary>
    public long FactRows { get; init; } = DefaultFactRows;

    /// <summary>Daily partitions backfilled.</summary>
    public int Days { get; init; } = DefaultDays;

    /// <summary>Measured runs of each timed part, after one warm-up.</summary>
    public int Runs { get; init; } = DefaultRuns;

    public string? WritePath { get; init; }

    public string? Revision { get; init; }

    public bool IsDefaultSize => Models == DefaultModels && FactRows == DefaultFactRows && Days == DefaultDays && Runs >= DefaultRuns;

    public const string Usage = """
        Usage: Sluice.Bench.Models [--write <markdown file>] [--revision <text>]
                                   [--models <n>] [--fact-rows <n>] [--days <n>] [--runs <n>]
          --write      rewrite the "Models" section of this file (created if missing)
          --revision   what is being measured, such as a git commit, recorded in the markdown
          --models     models in the generated project (default 1000)
          --fact-rows  rows of the fact table under the backfilled mart (default 10000000)
          --days       daily partitions to backfill (default 365)
          --runs       measured runs of each timed part, after one warm-up (default 3)
        """;

    public static ModelBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = BenchArguments.Parse(args, new ModelBenchOptions(), Usage, (options, name, value) => name switch
        {
            "--write" => options with { WritePath = value },
            "--revision" => options with { Revision = value },
            "--models" => options with { Models = (int)BenchArguments.Positive(name, value, 100_000) },
            "--fact-rows" => options with { FactRows = BenchArguments.Positive(name, value) },
            "--days" => options with { Days = (int)BenchArguments.Positive(name, value, 3650) },
            "--runs" => options with { Runs = (int)BenchArguments.Positive(name, value, 1000) },
            _ => null,
        });
        return options.Models < GeneratedProject.Roots
            ? throw new ArgumentException($"--models must be at least {GeneratedProject.Roots}.\n{Usage}")
            : options;
    }
}
