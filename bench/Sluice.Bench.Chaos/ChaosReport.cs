using System.Text;

namespace Sluice.Bench.Chaos;

/// <summary>The suite's section of docs/benchmarks.md: one table of tried and failed per category and warehouse.</summary>
internal sealed record ChaosReport(MachineInfo Machine, ChaosOptions Options, string? LoadAtEnd, ChaosResult Result)
{
    public const string SectionName = "chaos";

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("## Chaos");
        text.AppendLine();
        text.AppendLine("Faults and hostile input, made by `bench/Sluice.Bench.Chaos` against the ApplyLens pipeline (PostgreSQL source) and a six-tenant API project, on each warehouse. After each fault the interrupted command runs again and the invariants are checked: raw tables equal the source row for row on every day with no key twice, marts equal an undisturbed reference project's, run history only grows and every day of the window has a standing SUCCESS run. Refresh with `bench/run chaos`.");
        text.AppendLine();
        ReportHeader.Write(text, Machine, Options.Revision, $"{Machine.DotNet}, {Machine.Build}, seed {Options.Seed}", "bench/run chaos", LoadAtEnd, Options.IsDefaultSize);
        text.AppendLine($"- Time: {Result.Elapsed.TotalMinutes:0.0} min");
        text.AppendLine();
        text.AppendLine("| Warehouse | Category | Tried | Failed | Notes | A try, and what fails it |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var tally in Result.Tallies)
        {
            text.AppendLine($"| {Name(tally.Warehouse)} | {tally.Category} | {Format.Count(tally.Tried)} | {Format.Count(tally.Failed)} | {tally.Notes} | {tally.What} |");
        }

        var examples = Result.Tallies.Where(t => t.Examples.Count > 0).ToList();
        if (examples.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Failures (the first of each category):");
            text.AppendLine();
            foreach (var tally in examples)
            {
                foreach (var example in tally.Examples)
                {
                    text.AppendLine($"- {Name(tally.Warehouse)}, {tally.Category}: {example.Replace("|", "\\|", StringComparison.Ordinal)}");
                }
            }
        }

        return text.ToString();
    }

    private static string Name(ChaosWarehouse warehouse) => warehouse == ChaosWarehouse.DuckDb ? "DuckDB" : "PostgreSQL";
}
