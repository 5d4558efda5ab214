using System.Text;

namespace Sluice.Bench;

/// <summary>The checks benchmark's section of docs/benchmarks.md, with its own date and machine.</summary>
internal sealed record ChecksReport(MachineInfo Machine, CheckBenchOptions Options, string? LoadAtEnd, IReadOnlyList<ChecksResult> Results)
{
    public const string SectionName = "checks";

    /// <summary>The goal for one run of the fifty checks over the large table.</summary>
    public static readonly TimeSpan Goal = TimeSpan.FromSeconds(3);

    /// <summary>The goal for one run of the fifty checks over the small table.</summary>
    public static readonly TimeSpan SmallGoal = TimeSpan.FromSeconds(0.5);

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("## Checks");
        text.AppendLine();
        text.AppendLine("The quality stage (`src/Sluice.Checks`) on the embedded DuckDB, measured by `bench/Sluice.Bench.Checks` in one process. Refresh with `bench/run checks`.");
        text.AppendLine();
        ReportHeader.Write(text, Machine, Options.Revision, $"DuckDB {Machine.DuckDb}, {Machine.DotNet}, {Machine.Build}", "bench/run checks", LoadAtEnd, Options.IsDefaultSize);
        text.AppendLine();
        var sizes = string.Join(" and ", Results.Select(r => $"{Format.Count(r.Rows)} rows (created in {Format.Seconds(r.Create)})"));
        var verified = Results.Where(r => !r.Verified).Select(r => $"{Format.Count(r.Rows)} rows: {r.Mismatch}").ToList();
        text.AppendLine(
            $"`raw.events` has 15 columns (ids, dates, amounts, enums, codes, emails, timestamps) and, in turn, {sizes}; the ids spread over 0 to 10 million at every size (as a long-lived table's recent rows do); one row in a thousand has a bad status, amount or email, and there are as many customers as events up to 100,000. " +
            $"{Results[0].Checks} checks of every type are declared on it in a schema.yml: not_null on every column, unique, unique_combination_of_columns, accepted_values (with and without mostly), accepted_range on numbers, dates and timestamps, regex, relationships to two parent tables, expression_is_true, not_empty, row_count, freshness, and three checks with a `where`. " +
            "**Checks**: one run of all of them as `sluice test` runs them — compiled against the warehouse, measured (checks of the same table and filter share one scan), samples read for the failures, every result written to `_sluice.check_results`; " +
            $"the first run, then {Options.Runs} measured runs. **Limit**, alternating with them: the least the engine must do for the same checks — one scan reading every value of every column, and one search for repeated ids (a repeated (id, day) needs a repeated id), with the same engine setting the checks use for a table of that size. The ratio is limit over checks. " +
            $"Failing counts of four checks with defects were compared with SQL on the table: {(verified.Count == 0 ? "they matched" : $"**they did not match** ({string.Join("; ", verified)})")}.");
        text.AppendLine();
        text.AppendLine("| Rows | Checks | First run | Run (median) | Goal | Limit (median) | Ratio | Passed | Warned | Failed | Errors |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in Results)
        {
            text.AppendLine(
                $"| {Format.Count(r.Rows)} | {r.Checks} | {Format.Seconds(r.Cold)} | {Format.Seconds(r.Sluice.Median)} | < {r.Goal.TotalSeconds:0.#} s: {Format.Verdict(r.Sluice.Median < r.Goal)} | {Format.Seconds(r.Script.Median)} | {r.Ratio:0.00} " +
                $"| {r.Statuses[Checks.CheckStatus.Pass]} | {r.Statuses[Checks.CheckStatus.Warn]} | {r.Statuses[Checks.CheckStatus.Fail]} | {r.Statuses[Checks.CheckStatus.Error]} |");
        }

        foreach (var r in Results)
        {
            text.AppendLine();
            text.AppendLine($"The slowest checks of the last run on {Format.Count(r.Rows)} rows (a check that shares a scan is charged its share of it):");
            text.AppendLine();
            foreach (var (name, time) in r.Slowest)
            {
                text.AppendLine($"- `{name}`: {Format.Seconds(time)}");
            }
        }

        return text.ToString();
    }
}
