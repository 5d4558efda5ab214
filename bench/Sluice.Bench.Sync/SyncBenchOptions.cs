namespace Sluice.Bench;

/// <summary>
/// Command-line settings of the sync benchmark. The defaults are the published configuration;
/// smaller sizes exist to smoke-test the program, and such runs say so in their output.
/// </summary>
internal sealed record SyncBenchOptions
{
    public const long DefaultRows = 2_000_000;
    public const long DefaultSmallRows = 1_000_000;
    public const long DefaultLargeRows = 4_000_000;
    public const int DefaultRuns = 3;

    /// <summary>Rows of the table whose full and incremental syncs are timed.</summary>
    public long Rows { get; init; } = DefaultRows;

    /// <summary>The smaller table of the memory comparison.</summary>
    public long SmallRows { get; init; } = DefaultSmallRows;

    /// <summary>The larger table of the memory comparison.</summary>
    public long LargeRows { get; init; } = DefaultLargeRows;

    /// <summary>Measured runs of each timed part, after one warm-up.</summary>
    public int Runs { get; init; } = DefaultRuns;

    /// <summary>The built sluice.dll whose peak memory is measured as a separate process.</summary>
    public string? SluicePath { get; init; }

    public string? WritePath { get; init; }

    public string? Revision { get; init; }

    public bool IsDefaultSize => Rows == DefaultRows && SmallRows == DefaultSmallRows && LargeRows == DefaultLargeRows && Runs >= DefaultRuns;

    public const string Usage = """
        Usage: Sluice.Bench.Sync --sluice <path to sluice.dll> [--write <markdown file>] [--revision <text>]
                                 [--rows <n>] [--small <n>] [--large <n>] [--runs <n>]
          --sluice    the built CLI, run as a child process for the peak-memory part
          --write     rewrite the "Sync" section of this file (created if missing)
          --revision  what is being measured, such as a git commit, recorded in the markdown
          --rows      rows of the timed table (default 2000000)
          --small     rows of the smaller memory table (default 1000000)
          --large     rows of the larger memory table (default 4000000)
          --runs      measured runs of each timed part, after one warm-up (default 3)
        """;

    public static SyncBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = BenchArguments.Parse(args, new SyncBenchOptions(), Usage, (options, name, value) => name switch
        {
            "--sluice" => options with { SluicePath = value },
            "--write" => options with { WritePath = value },
            "--revision" => options with { Revision = value },
            "--rows" => options with { Rows = BenchArguments.Positive(name, value) },
            "--small" => options with { SmallRows = BenchArguments.Positive(name, value) },
            "--large" => options with { LargeRows = BenchArguments.Positive(name, value) },
            "--runs" => options with { Runs = (int)BenchArguments.Positive(name, value, 1000) },
            _ => null,
        });
        return options.SluicePath is null ? throw new ArgumentException($"--sluice is required.\n{Usage}") : options;
    }
}
