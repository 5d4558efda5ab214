using System.Text;

namespace Sluice.Bench;

/// <summary>The demo benchmark's section of docs/benchmarks.md, with its own date and machine.</summary>
internal sealed record DemoReport(MachineInfo Machine, DemoBenchOptions Options, string? LoadAtEnd, IReadOnlyList<DemoResult> Results)
{
    public const string SectionName = "demo";

    private static readonly TimeSpan Goal = TimeSpan.FromSeconds(60);

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("## Demo");
        text.AppendLine();
        text.AppendLine("`sluice demo --no-serve` (the ApplyLens example) and `sluice demo aivo --no-serve` (the AIVO example) on the embedded DuckDB, measured by `bench/Sluice.Bench.Demo` as a user runs them: a new process each time, wall-clock time. Refresh with `bench/run demo`.");
        text.AppendLine();
        ReportHeader.Write(text, Machine, Options.Revision, $"DuckDB {Machine.DuckDb}, {Machine.DotNet}, {Machine.Build}", "bench/run demo", LoadAtEnd, Options.IsDefaultSize);
        text.AppendLine();
        foreach (var r in Results)
        {
            text.AppendLine(r.Example == "aivo"
                ? $"**AIVO**: in an empty folder, the project written and {Options.Days} days replayed as the hourly schedule runs them — each day's changes generated as CSV files, the dimension tables it changed synced and their snapshots updated — then every table synced with parity, the facts built ({Options.Days} partitions of each of five), {r.Checks} checks run ({r.ChecksPassed} passed) and the summary printed ({Format.Count(r.Counts.First)} learners, {Format.Count(r.Counts.Second)} sessions). " +
                  "**Again**: the same command with nothing new. **Limit**: the engine's share — the event tables loaded from the same files and the five facts' figures computed, in one in-memory DuckDB, without the dimensions' history."
                : $"**ApplyLens**: in an empty folder, the project written, {Options.Days} days of data generated as CSV files ({Format.Count(r.Counts.First)} emails, {Format.Count(r.Counts.Second)} applications, two files a day), " +
                  $"synced with parity, five models built ({Options.Days} partitions of `mrt_risk_daily`), {r.Checks} checks run ({r.ChecksPassed} passed) and the summary printed. " +
                  "**Again**: the same command in the same folder with nothing new: files unchanged, partitions built, only the tables and views rebuilt and checked. " +
                  "**Limit**: the engine's share — both tables loaded from the same files and the risk figures per day aggregated, in one in-memory DuckDB.");
            text.AppendLine();
        }

        text.AppendLine($"The ratio is limit over demo. One warm-up round, then {Options.Runs} measured rounds of each.");
        text.AppendLine();
        text.AppendLine("| Example | Days | Demo (median) | Goal | Again (median) | Limit (median) | Ratio |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in Results)
        {
            text.AppendLine(
                $"| {(r.Example == "aivo" ? "AIVO" : "ApplyLens")} | {Options.Days} | {Format.Seconds(r.Fresh.Median)} | < {Goal.TotalSeconds:0} s: {Format.Verdict(r.Fresh.Median < Goal)} | {Format.Seconds(r.Again.Median)} | {Format.Seconds(r.Limit.Median)} | {r.Ratio:0.000} |");
        }

        return text.ToString();
    }
}
