namespace Sluice.Bench;

/// <summary>Command-line settings of the demo benchmark; fewer days or runs are smoke tests and say so.</summary>
internal sealed record DemoBenchOptions
{
    public const int DefaultDays = 90;
    public const int DefaultRuns = 3;

    public string? Sluice { get; init; }

    /// <summary>Days of data each demo generates.</summary>
    public int Days { get; init; } = DefaultDays;

    /// <summary>Measured rounds: a fresh demo, the same again, and the limit.</summary>
    public int Runs { get; init; } = DefaultRuns;

    public string? WritePath { get; init; }

    public string? Revision { get; init; }

    public bool IsDefaultSize => Days == DefaultDays && Runs >= DefaultRuns;

    public const string Usage = """
        Usage: Sluice.Bench.Demo --sluice <sluice.dll> [--write <markdown file>] [--revision <text>] [--days <n>] [--runs <n>]
          --sluice    the sluice CLI to run (src/Sluice.Cli/bin/Release/net10.0/sluice.dll)
          --write     rewrite the "Demo" section of this file (created if missing)
          --revision  what is being measured, such as a git commit, recorded in the markdown
          --days      days of data the demo generates (default 90)
          --runs      measured rounds (default 3)
        """;

    public static DemoBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = BenchArguments.Parse(args, new DemoBenchOptions(), Usage, (options, name, value) => name switch
        {
            "--sluice" => options with { Sluice = value },
            "--write" => options with { WritePath = value },
            "--revision" => options with { Revision = value },
            "--days" => options with { Days = (int)BenchArguments.Positive(name, value, 3660) },
            "--runs" => options with { Runs = (int)BenchArguments.Positive(name, value, 100) },
            _ => null,
        });
        return options.Sluice is null ? throw new ArgumentException("--sluice is required: the sluice CLI's dll.\n" + Usage) : options;
    }
}
