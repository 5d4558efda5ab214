using System.Text;

namespace Sluice.Bench;

/// <summary>The scale benchmark's section of docs/benchmarks.md, with its own date and machine.</summary>
internal sealed record ScaleReport(MachineInfo Machine, ScaleOptions Options, string? LoadAtEnd, ScaleResult Result)
{
    public const string SectionName = "scale";

    public string Render()
    {
        var r = Result;
        var text = new StringBuilder();
        text.AppendLine("## Scale");
        text.AppendLine();
        text.AppendLine("The same three questions served by `sluice serve` (cache off) on DuckDB, PostgreSQL and ClickHouse as the data grows, measured by `bench/Sluice.Bench.Scale`. Refresh with `bench/run scale` (`--sizes 1m,10m,100m` for the largest size, where the disk has room).");
        text.AppendLine();
        ReportHeader.Write(text, Machine, Options.Revision, $"DuckDB {Machine.DuckDb}, PostgreSQL and ClickHouse from the installed Debian packages (throwaway servers), {Machine.DotNet}, {Machine.Build}", "bench/run scale", LoadAtEnd, Options.IsDefaultSize);
        text.AppendLine($"- Sizes: {string.Join(", ", Options.Sizes.Select(ScaleOptions.Label))} fact rows; {Options.Requests} timed requests per cell after {Options.Warmups} untimed, sequential, on one connection");
        text.AppendLine();
        text.AppendLine(
            $"Each engine gets the same generated data through Sluice's own bulk load (`IWarehouseSession.BulkLoadAsync`): `raw.facts` (company of {ScaleData.Companies}, dimension of {ScaleData.Dimensions.Length}, score, created_at over the year to {ScaleData.LastDay:yyyy-MM-dd}, in time order) and `raw.events` (an entity per ten facts enrolls; seven in ten are matched, some after the 30-day window; half of those complete). " +
            (r.LimitMethods.Count > 1
                ? $"Before timing, the {r.LimitMethods.Count} engines' JSON answers to each question were compared (numbers within a relative 1e-6): "
                : $"One engine ran (`--engines`), so no answers were compared with another engine's: ") +
            $"{(r.Mismatches.Count == 0 ? (r.LimitMethods.Count > 1 ? "**they agreed**, every request was answered and no server warned" : "every request was answered and no server warned") : "**problems** (a wrong answer, no answer or a server warning; the run failed): " + string.Join("; ", r.Mismatches))}.");
        foreach (var skipped in r.Skipped)
        {
            text.AppendLine();
            text.AppendLine($"Not measured: {skipped}.");
        }

        text.AppendLine();
        text.AppendLine("| Engine | Facts | Question | p50 | p95 | Engine alone (p50) | Ratio engine/Sluice | Growth (p50 vs smaller size) | Goal |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var cell in r.Cells)
        {
            var smaller = r.Smaller(cell);
            var growth = smaller is null || smaller.P50 == TimeSpan.Zero
                ? "—"
                : $"{Format.Ratio(cell.P50 / smaller.P50)} ({ScaleOptions.Label(cell.Rows)}/{ScaleOptions.Label(smaller.Rows)})";
            text.AppendLine($"| {cell.Engine} | {ScaleOptions.Label(cell.Rows)} | {cell.Question} | {ScaleBenchmark.Ms(cell.P50)} | {ScaleBenchmark.Ms(cell.P95)} | {ScaleBenchmark.Ms(cell.LimitP50)} | {Format.Ratio(cell.Ratio)} | {growth} | report only |");
        }

        text.AppendLine();
        text.AppendLine("| Engine | Facts | Events | Bulk load |");
        text.AppendLine("|---|---|---|---|");
        foreach (var load in r.Loads)
        {
            text.AppendLine($"| {load.Engine} | {Format.Count(load.Rows)} | {Format.Count(load.Events)} | {Format.Seconds(load.Took)} |");
        }

        text.AppendLine();
        text.AppendLine("Requests:");
        text.AppendLine();
        foreach (var question in ScaleProject.Questions)
        {
            text.AppendLine($"- {question.Name} ({question.Description}): `GET {question.Path}`");
        }

        text.AppendLine();
        text.AppendLine("### Reading the scale figures");
        text.AppendLine();
        text.AppendLine("- **p50, p95**: the time from sending a request to having read its whole answer, over the timed requests of that engine, size and question; one request at a time on one connection, so they are one user's wait, not throughput under load (for that, see Serve).");
        text.AppendLine("- **Engine alone (p50)**: the median time the engine itself takes for the SQL of that request, measured in the same run. How, per engine:");
        foreach (var (engine, method) in r.LimitMethods)
        {
            text.AppendLine($"  - {engine}: {method}.");
        }

        text.AppendLine("- **Ratio engine/Sluice**: engine alone over served, at the median. 1.00x means Sluice (HTTP, parameters, the reader, JSON) adds nothing to the engine's time; 0.50x means half the wait is Sluice's. On a small table Sluice's fixed cost per request weighs more, so the ratio should rise towards 1 as the data grows. A ratio a little above 1 is noise between two separately measured medians.");
        text.AppendLine("- DuckDB's ratio compares Sluice with a hand-written query of the same figures, not with the SQL Sluice sent: a low DuckDB ratio can mean that Sluice's SQL costs more than the hand-written one (its funnel is general over any steps and window), not that HTTP and JSON cost that much. PostgreSQL's and ClickHouse's ratios are against Sluice's own SQL.");
        text.AppendLine("- **Growth**: the served p50 over the same engine's and question's p50 at the next smaller size. With ten times the rows, 10x is linear; less means fixed costs still dominate or the engine skips data (ClickHouse's sparse index, DuckDB's zone maps); more means something scales worse than the data.");
        text.AppendLine("- **Goal**: none for these rows; the issue asks for the ratios to be reported, so every row is *report only*. Different answers from different engines, and requests without an answer, are failures: the run exits 1 and says which above the table; slow answers are findings.");
        text.AppendLine("- Figures from a non-default size, or from a machine that was busy (see Load above), are a smoke test of the benchmark, not of the engines.");
        return text.ToString();
    }
}
