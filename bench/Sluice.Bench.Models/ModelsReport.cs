using System.Text;

namespace Sluice.Bench;

/// <summary>The models benchmark's section of docs/benchmarks.md, with its own date and machine.</summary>
internal sealed record ModelsReport(MachineInfo Machine, ModelBenchOptions Options, string? LoadAtEnd, DagResult Dag, BackfillResult Backfill)
{
    public const string SectionName = "models";

    private static readonly TimeSpan ParseGoal = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan OverheadGoal = TimeSpan.FromMilliseconds(5);

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("## Models");
        text.AppendLine();
        text.AppendLine("The transform stage (`src/Sluice.Models`) on the embedded DuckDB, measured by `bench/Sluice.Bench.Models` in one process. Refresh with `bench/run models`.");
        text.AppendLine();
        ReportHeader.Write(text, Machine, Options.Revision, $"DuckDB {Machine.DuckDb}, {Machine.DotNet}, {Machine.Build}", "bench/run models", LoadAtEnd, Options.IsDefaultSize);

        text.AppendLine();
        text.AppendLine("### A generated project");
        text.AppendLine();
        text.AppendLine(
            $"{Format.Count(Dag.Models)} models in {Format.Count((Dag.Models + 99) / 100)} folders, each with a property file: {GeneratedProject.Roots} root tables of 300 rows, then chains of {GeneratedProject.ChainLength} in which each model joins its predecessor with a root " +
            $"({Format.Count(Dag.Edges)} edges; {Format.Count(Dag.Tables)} tables, the rest views; every model uses `config`, `ref`, `var`, `set`, `for` with `loop.last` and `if`). " +
            $"**Parse + plan**: reading the project, rendering every model once to find its refs and config, building the graph and selecting everything; the first call in the process (cold, with JIT) and the median of 7 more. " +
            $"**Run**: building every model with one thread, after one warm-up build, {Options.Runs} measured runs. The warehouse's calls (statements, queries, commits, including the job-run rows) are timed where Sluice makes them; " +
            "**overhead** is the run's wall time minus that engine time: rendering, planning, scheduling and Sluice's own code. " +
            "Its limit, alternating with the runs: the same compiled SQL as a plain script, one `create or replace view|table … as …` per model in graph order on one connection, without job runs or swaps. The ratio is script time over Sluice time.");
        text.AppendLine();
        text.AppendLine("| Parse + plan (first) | Parse + plan (median) | Goal | Run, 1 thread (median) | Engine time | Engine calls | Overhead per model | Goal | Script | Ratio | Run, 4 threads |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        text.AppendLine(
            $"| {Format.Seconds(Dag.ParseCold)} | {Format.Seconds(Dag.ParsePlan.Median)} | < {ParseGoal.TotalSeconds:0} s: {Format.Verdict(Dag.ParsePlan.Median < ParseGoal)} " +
            $"| {Format.Seconds(Dag.Wall.Median)} | {Format.Seconds(Dag.Engine.Median)} | {Format.Count(Dag.EngineCallsPerRun)} | {Millis(Dag.OverheadPerModel)} | < {OverheadGoal.TotalMilliseconds:0} ms: {Format.Verdict(Dag.OverheadPerModel < OverheadGoal)} " +
            $"| {Format.Seconds(Dag.Script.Median)} | {Dag.Ratio:0.00} | {Format.Seconds(Dag.FourThreads)} |");
        Heaviest(text, Dag.Heaviest, Dag.Models, "model");
        text.AppendLine();
        text.AppendLine("### Backfill of daily partitions");
        text.AppendLine();
        text.AppendLine(
            $"`raw.events` has {Format.Count(Backfill.FactRows)} rows (id, day, customer, amount) in day order over {Backfill.Days} days, created in {Format.Seconds(Backfill.CreateFact)}. " +
            "The mart `fct_daily_segments` (incremental, `partition_by='d'`, daily) groups a day's events by day and customer segment (count, distinct customers, sum). " +
            $"**First**: the first backfill of all {Backfill.Days} partitions (creates the table). " +
            $"**Forced**: `--force` backfills of the whole range, {Options.Runs} measured runs, one partition at a time; each partition is one transaction that deletes the day, inserts it and writes its job-run row. " +
            "Their limit, alternating with them: the same compiled SQL as a plain script (per day: begin, delete, insert, commit). " +
            "For scale, the engine computing the whole range in one `create table … as select`. " +
            $"After every backfill, the mart's total events, amount and days are checked against SQL on `raw.events`: {(Backfill.Verified ? "they matched every time" : "**they did not match**")}.");
        text.AppendLine();
        text.AppendLine("| First backfill | Forced (median) | Per partition | Engine time | Overhead per partition | Script | Ratio | `--concurrency 2` | One statement |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        text.AppendLine(
            $"| {Format.Seconds(Backfill.First)} | {Format.Seconds(Backfill.Wall.Median)} | {Millis(Backfill.PerPartition)} | {Format.Seconds(Backfill.Engine.Median)} | {Millis(Backfill.OverheadPerPartition)} " +
            $"| {Format.Seconds(Backfill.Script.Median)} | {Backfill.Ratio:0.00} | {Format.Seconds(Backfill.TwoAtOnce)} | {Format.Seconds(Backfill.OneStatement)} |");
        Heaviest(text, Backfill.Heaviest, Backfill.Days, "partition");
        return text.ToString();
    }

    // Where the last measured run's engine time went, by statement shape (names replaced by X).
    private static void Heaviest(StringBuilder text, IReadOnlyList<(string Shape, TimeSpan Time, int Calls)> heaviest, int units, string unit)
    {
        text.AppendLine();
        text.AppendLine($"Where the engine time of the last measured run went (the heaviest statement shapes; names replaced by X):");
        text.AppendLine();
        text.AppendLine($"| Statement | Calls | Total | Per {unit} |");
        text.AppendLine("|---|---|---|---|");
        foreach (var (shape, time, calls) in heaviest)
        {
            text.AppendLine($"| `{shape.Replace("|", "\\|", StringComparison.Ordinal).Trim()}` | {Format.Count(calls)} | {Format.Seconds(time)} | {Millis(time / units)} |");
        }
    }

    private static string Millis(TimeSpan time) => time.TotalMilliseconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " ms";
}
