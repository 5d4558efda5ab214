using System.Text;

namespace Sluice.Bench;

/// <summary>The demo benchmark's section of docs/benchmarks.md, with its own date and machine.</summary>
internal sealed record DemoReport(MachineInfo Machine, DemoBenchOptions Options, string? LoadAtEnd, DemoResult Result)
{
    public const string SectionName = "demo";

    private static readonly TimeSpan Goal = TimeSpan.FromSeconds(60);

    public string Render()
    {
        var r = Result;
        var text = new StringBuilder();
        text.AppendLine("## Demo");
        text.AppendLine();
        text.AppendLine("`sluice demo --no-serve` (the ApplyLens example on the embedded DuckDB), measured by `bench/Sluice.Bench.Demo` as a user runs it: a new process each time, wall-clock time. Refresh with `bench/run demo`.");
        text.AppendLine();
        ReportHeader.Write(text, Machine, Options.Revision, $"DuckDB {Machine.DuckDb}, {Machine.DotNet}, {Machine.Build}", "bench/run demo", LoadAtEnd, Options.IsDefaultSize);
        text.AppendLine();
        text.AppendLine(
            $"**Demo**: in an empty folder, the project written, {Options.Days} days of data generated as CSV files ({Format.Count(r.Emails)} emails, {Format.Count(r.Applications)} applications, two files a day), " +
            $"synced with parity, five models built ({Options.Days} partitions of `mrt_risk_daily`), {r.Checks} checks run ({r.ChecksPassed} passed) and the summary printed. " +
            "**Again**: the same command in the same folder with nothing new: files unchanged, partitions built, only the tables and views rebuilt and checked. " +
            $"**Limit**: the engine's share — both tables loaded from the same files and the risk figures per day aggregated, in one in-memory DuckDB. The ratio is limit over demo. One warm-up round, then {Options.Runs} measured rounds.");
        text.AppendLine();
        text.AppendLine("| Days | Demo (median) | Goal | Again (median) | Limit (median) | Ratio |");
        text.AppendLine("|---|---|---|---|---|---|");
        text.AppendLine(
            $"| {Options.Days} | {Format.Seconds(r.Fresh.Median)} | < {Goal.TotalSeconds:0} s: {Format.Verdict(r.Fresh.Median < Goal)} | {Format.Seconds(r.Again.Median)} | {Format.Seconds(r.Limit.Median)} | {r.Ratio:0.000} |");
        return text.ToString();
    }
}
