namespace Sluice.Bench;

/// <summary>Everything one run of the benchmark measured, with the circumstances.</summary>
internal sealed record BenchResults(
    MachineInfo Machine,
    BenchOptions Options,
    int Threads,
    string? LoadAtEnd,
    ThroughputResult Read,
    ThroughputResult AppendFile,
    ThroughputResult AppendMemory,
    MemoryResult Memory)
{
    public IReadOnlyList<ThroughputResult> Throughput => [Read, AppendFile, AppendMemory];

    /// <summary>
    /// Other processes competing for the cores distort every figure, ratios included; the load
    /// averages let a reader judge whether a run was quiet.
    /// </summary>
    public string? Load => Machine.LoadAtStart is null ? null
        : $"load average {Machine.LoadAtStart} at start, {LoadAtEnd} at end (1/5/15 min; the benchmark itself keeps up to {Threads} cores busy)";

    public string Method =>
        $"{Format.Count(Options.Rows)} rows {BenchRows.Columns} with c {BenchRows.TextLength} characters, in a DuckDB file database (and for the second append, an in-memory one) " +
        $"(threads={Threads}); each timed part runs 1 warm-up and {Options.Runs} measured run{(Options.Runs == 1 ? string.Empty : "s")}, alternating with its limit " +
        "(DuckDB doing the same work in SQL, in the same process and run). The ratio is the binding's time over the limit's: " +
        "1.00x would mean no overhead beyond DuckDB itself. Goals are judged on the median.";

    public string MemoryMethod =>
        $"{Format.Count(Memory.Cycles)} cycles of open connection / `{MemoryBenchmark.Query}` / dispose on a file database, " +
        "while one long-lived connection stays open for the whole loop so that the database instance is shared, " +
        $"as the server uses it. Memory is sampled after a full GC; growth is measured from the end of the " +
        $"{Format.Count(Memory.WarmupCycles)}-cycle warm-up and is \"stable\" below {MemoryResult.StableGrowth:P0}.";
}
