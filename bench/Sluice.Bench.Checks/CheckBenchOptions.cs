namespace Sluice.Bench;

/// <summary>Command-line settings of the checks benchmark; smaller sizes are smoke tests and say so.</summary>
internal sealed record CheckBenchOptions
{
    public const long DefaultRows = 10_000_000;
    public const long DefaultSmallRows = 1_000;
    public const int DefaultRuns = 3;

    /// <summary>Rows of raw.events.</summary>
    public long Rows { get; init; } = DefaultRows;

    /// <summary>Rows of raw.events in the small case.</summary>
    public long SmallRows { get; init; } = DefaultSmallRows;

    /// <summary>Measured runs after the first.</summary>
    public int Runs { get; init; } = DefaultRuns;

    public string? WritePath { get; init; }

    public string? Revision { get; init; }

    public bool IsDefaultSize => Rows == DefaultRows && SmallRows == DefaultSmallRows && Runs >= DefaultRuns;

    public const string Usage = """
        Usage: Sluice.Bench.Checks [--write <markdown file>] [--revision <text>] [--rows <n>] [--small-rows <n>] [--runs <n>]
          --write       rewrite the "Checks" section of this file (created if missing)
          --revision    what is being measured, such as a git commit, recorded in the markdown
          --rows        rows of the checked table (default 10000000)
          --small-rows  rows of the checked table in the small case (default 1000)
          --runs        measured runs after the first (default 3)
        """;

    public static CheckBenchOptions Parse(IReadOnlyList<string> args) =>
        BenchArguments.Parse(args, new CheckBenchOptions(), Usage, (options, name, value) => name switch
        {
            "--write" => options with { WritePath = value },
            "--revision" => options with { Revision = value },
            "--rows" => options with { Rows = BenchArguments.Positive(name, value) },
            "--small-rows" => options with { SmallRows = BenchArguments.Positive(name, value) },
            "--runs" => options with { Runs = (int)BenchArguments.Positive(name, value, 1000) },
            _ => null,
        });
}
