using System.Text;

namespace Sluice.Bench;

/// <summary>The checks benchmark's section of docs/benchmarks.md, with its own date and machine.</summary>
internal sealed record ChecksReport(MachineInfo Machine, CheckBenchOptions Options, string? LoadAtEnd, ChecksResult Result)
{
    public const string SectionName = "checks";

    private static readonly TimeSpan Goal = TimeSpan.FromSeconds(3);

    public string Render()
    {
        var r = Result;
        var text = new StringBuilder();
        text.AppendLine("## Checks");
        text.AppendLine();
        text.AppendLine("The quality stage (`src/Sluice.Checks`) on the embedded DuckDB, measured by `bench/Sluice.Bench.Checks` in one process. Refresh with `bench/run checks`.");
        text.AppendLine();
        ReportHeader.Write(text, Machine, Options.Revision, $"DuckDB {Machine.DuckDb}, {Machine.DotNet}, {Machine.Build}", "bench/run checks", LoadAtEnd, Options.IsDefaultSize);
        text.AppendLine();
        text.AppendLine(
            $"`raw.events` has {Format.Count(r.Rows)} rows and 15 columns (ids, dates, amounts, enums, codes, emails, timestamps), created in {Format.Seconds(r.Create)}; one row in a thousand has a bad status, amount or email. " +
            $"{r.Checks} checks of every type are declared on it in a schema.yml: not_null on every column, unique, unique_combination_of_columns, accepted_values (with and without mostly), accepted_range on numbers, dates and timestamps, regex, relationships to two parent tables, expression_is_true, not_empty, row_count, freshness, and three checks with a `where`. " +
            "**Checks**: one run of all of them as `sluice test` runs them — compiled against the warehouse, measured (checks of the same table and filter share one scan), samples read for the failures, every result written to `_sluice.check_results`; " +
            $"the first run, then {Options.Runs} measured runs. **Limit**, alternating with them: the least the engine must do for the same checks — one scan reading every value of every column, and one search for repeated ids (a repeated (id, day) needs a repeated id), with the same engine setting the checks use. The ratio is limit over checks. " +
            $"Failing counts of four checks with defects were compared with SQL on the table: {(r.Verified ? "they matched" : $"**they did not match** ({r.Mismatch})")}.");
        text.AppendLine();
        text.AppendLine("| Checks | First run | Run (median) | Goal | Limit (median) | Ratio | Passed | Warned | Failed | Errors |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        text.AppendLine(
            $"| {r.Checks} | {Format.Seconds(r.Cold)} | {Format.Seconds(r.Sluice.Median)} | < {Goal.TotalSeconds:0} s: {Format.Verdict(r.Sluice.Median < Goal)} | {Format.Seconds(r.Script.Median)} | {r.Ratio:0.00} " +
            $"| {r.Statuses[Checks.CheckStatus.Pass]} | {r.Statuses[Checks.CheckStatus.Warn]} | {r.Statuses[Checks.CheckStatus.Fail]} | {r.Statuses[Checks.CheckStatus.Error]} |");
        text.AppendLine();
        text.AppendLine("The slowest checks of the last run (a check that shares a scan is charged its share of it):");
        text.AppendLine();
        foreach (var (name, time) in r.Slowest)
        {
            text.AppendLine($"- `{name}`: {Format.Seconds(time)}");
        }

        return text.ToString();
    }
}
