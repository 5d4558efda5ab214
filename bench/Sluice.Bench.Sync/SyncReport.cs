using System.Text;

namespace Sluice.Bench;

/// <summary>The sync benchmark's section of docs/benchmarks.md, with its own date and machine.</summary>
internal sealed record SyncReport(
    MachineInfo Machine,
    SyncBenchOptions Options,
    string PostgresVersion,
    string? LoadAtEnd,
    IReadOnlyList<WarehouseTimings> Timings,
    IReadOnlyList<MemoryRun> Memory)
{
    public const string SectionName = "sync";

    private const double FullGoal = 0.8;
    private const double IncrementalGoal = 0.03;
    private const long MemoryGoal = 300L * 1024 * 1024;

    // Memory counts as flat when the larger table's peak is within this share of the smaller's.
    private const double FlatTolerance = 0.15;

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("## Sync");
        text.AppendLine();
        text.AppendLine("`sluice sync` from PostgreSQL into DuckDB and into PostgreSQL, measured by `bench/Sluice.Bench.Sync`. Refresh with `bench/run sync`.");
        text.AppendLine();
        ReportHeader.Write(
            text,
            Machine,
            Options.Revision,
            $"{PostgresVersion.Split(',')[0]} (throwaway server, fsync off), DuckDB {Machine.DuckDb}, {Machine.DotNet}, {Machine.Build}",
            "bench/run sync",
            LoadAtEnd,
            Options.IsDefaultSize);

        text.AppendLine();
        text.AppendLine(
            $"The source table has the reference `emails` shape (id bigint, received_at timestamptz, sender text, subject text, risk_score int, category text, expires_at timestamptz, features_json jsonb, updated_at timestamptz; primary key on id, index on updated_at) and {Format.Count(Options.Rows)} rows; PostgreSQL, the warehouse and Sluice share the machine. " +
            $"Each timed part has 1 warm-up and {Options.Runs} measured runs; goals are judged on the median. " +
            "**Full**: the first sync into a fresh warehouse (batches of 245,760 rows, each merged and committed with its watermark), timed in-process around `SyncRunner`, alternating with its limit: draining the very same `COPY (SELECT …) TO STDOUT (FORMAT BINARY)` with Npgsql, reading every value and doing nothing else. The ratio is drain time over sync time (1.00 = the sync costs nothing beyond reading). " +
            "**Incremental**: a sync after 1 % of the rows changed (a different 1 % each run), as a share of the full sync's median time. " +
            "**Engine alone**: the warehouse copying the synced table into a new one (`create table … as select *`), no client involved: no loader writes faster than this. " +
            "After every sync, the live rows' count, sum of ids, total subject length and sum of risk scores are checked against SQL on the source. Parity checks are off during timing and measured once on their own.");
        text.AppendLine();
        text.AppendLine("| Warehouse | Drain median | Full sync best | Full sync median | Ratio (median) | Goal | Engine alone | Incremental median | Share of full | Goal | Parity check |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var t in Timings)
        {
            text.AppendLine(
                $"| PostgreSQL → {Name(t.Warehouse)} | {Format.Rate(t.Rows / t.Drain.Median.TotalSeconds)} ({Format.Seconds(t.Drain.Median)}) " +
                $"| {Format.Rate(t.Rows / t.Full.Best.TotalSeconds)} ({Format.Seconds(t.Full.Best)}) | {Format.Rate(t.Rows / t.Full.Median.TotalSeconds)} ({Format.Seconds(t.Full.Median)}) " +
                $"| {t.FullRatio:0.00} | ≥ {FullGoal:0.0}: {Format.Verdict(t.FullRatio >= FullGoal)} | {Format.Rate(t.Rows / t.EngineCopy.TotalSeconds)} ({Format.Seconds(t.EngineCopy)}) " +
                $"| {Format.Seconds(t.Incremental.Median)} ({Format.Count(t.ChangedRows)} rows) | {t.IncrementalShare * 100:0.0} % | ≤ {IncrementalGoal * 100:0} %: {Format.Verdict(t.IncrementalShare <= IncrementalGoal)} " +
                $"| {Format.Seconds(t.ParityCheck)} ({Format.Count(t.ParityDays)} days) |");
        }

        text.AppendLine();
        foreach (var t in Timings)
        {
            text.AppendLine($"- {Name(t.Warehouse)} runs: drain {t.Drain.RunsText}; full {t.Full.RunsText}; incremental {t.Incremental.RunsText}.");
        }

        text.AppendLine();
        text.AppendLine("### Peak memory of the sync process");
        text.AppendLine();
        text.AppendLine("`dotnet sluice.dll sync` as a child process on a fresh warehouse, its resident-memory high-water mark (VmHWM) read from /proc while it runs. This includes the .NET runtime and, for DuckDB, the embedded engine.");
        text.AppendLine();
        text.AppendLine("| Warehouse | Rows | Peak RSS | Wall time | Goal ≤ 300 MiB |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var m in Memory)
        {
            text.AppendLine($"| PostgreSQL → {Name(m.Warehouse)} | {Format.Count(m.Rows)} | {Format.Bytes(m.PeakBytes)} | {Format.Seconds(m.Elapsed)} | {Format.Verdict(m.PeakBytes <= MemoryGoal)} |");
        }

        text.AppendLine();
        foreach (var group in Memory.GroupBy(m => m.Warehouse))
        {
            var small = group.MinBy(m => m.Rows)!;
            var large = group.MaxBy(m => m.Rows)!;
            var growth = large.PeakBytes / (double)small.PeakBytes - 1;
            text.AppendLine(
                $"- {Name(group.Key)}: {Format.Count(large.Rows / small.Rows)}x the rows, peak {Format.Percent(growth)}: " +
                $"{(growth <= FlatTolerance ? "**flat** (within 15 %)" : "**grows with the table**")}.");
        }

        return text.ToString();
    }

    private static string Name(string warehouse) => warehouse.Replace("duckdb", "DuckDB", StringComparison.Ordinal).Replace("postgres", "PostgreSQL", StringComparison.Ordinal);
}
