namespace Sluice.Bench;

/// <summary>
/// Command-line settings. The defaults are the published configuration; the size options exist
/// so that the program can be smoke-tested in seconds, and such runs say so in their output.
/// </summary>
internal sealed record BenchOptions
{
    public const long DefaultRows = 10_000_000;
    public const int DefaultRuns = 3;
    public const int DefaultCycles = 100_000;

    public long Rows { get; init; } = DefaultRows;

    public int Runs { get; init; } = DefaultRuns;

    public int Cycles { get; init; } = DefaultCycles;

    /// <summary>Connection cycles before the memory baseline is taken: a tenth of the total.</summary>
    public int WarmupCycles => Cycles / 10;

    /// <summary>The markdown file whose "DuckDB binding" section is rewritten, if any.</summary>
    public string? WritePath { get; init; }

    /// <summary>What was measured (such as a git commit), as given by the caller.</summary>
    public string? Revision { get; init; }

    public bool IsDefaultSize => Rows == DefaultRows && Runs >= DefaultRuns && Cycles == DefaultCycles;

    public const string Usage = """
        Usage: Sluice.Bench [--write <markdown file>] [--revision <text>] [--rows <n>] [--runs <n>] [--cycles <n>]
          --write     rewrite the "DuckDB binding" section of this file (created if missing)
          --revision  what is being measured, such as a git commit, recorded in the markdown
          --rows      rows read and appended (default 10000000)
          --runs      measured runs of each timed part, after one warm-up (default 3)
          --cycles    open/query/dispose cycles of the memory part (default 100000)
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args) => BenchArguments.Parse(args, new BenchOptions(), Usage, (options, name, value) => name switch
    {
        "--write" => options with { WritePath = value },
        "--revision" => options with { Revision = value },
        "--rows" => options with { Rows = BenchArguments.Positive(name, value) },
        "--runs" => options with { Runs = (int)BenchArguments.Positive(name, value, 1000) },
        "--cycles" => options with { Cycles = (int)BenchArguments.Positive(name, value, int.MaxValue) },
        _ => null,
    });
}
