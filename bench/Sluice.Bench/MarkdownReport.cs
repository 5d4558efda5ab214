using System.Text;

namespace Sluice.Bench;

/// <summary>
/// The benchmark's section of docs/benchmarks.md. It stands alone (its own heading, date and
/// machine) because other benchmarks write their own sections into the same file.
/// </summary>
internal static class MarkdownReport
{
    public const string SectionName = "duckdb-binding";

    public static string Render(BenchResults results)
    {
        var machine = results.Machine;
        var text = new StringBuilder();
        text.AppendLine("## DuckDB binding");
        text.AppendLine();
        text.AppendLine($"Throughput and memory of `src/Sluice.DuckDb`, measured by `bench/Sluice.Bench`. Refresh with `bench/run`.");
        text.AppendLine();
        text.AppendLine($"- Date: {machine.DateText}{(results.Options.Revision is { } revision ? $", revision {revision}" : string.Empty)}");
        text.AppendLine($"- Machine: {machine.Machine}");
        text.AppendLine($"- Software: DuckDB {machine.DuckDb}, {machine.DotNet}, {machine.Build}");
        text.AppendLine($"- Command: `bench/run`");
        if (results.Load is { } load)
        {
            text.AppendLine($"- Load: {load}");
        }
        if (!results.Options.IsDefaultSize)
        {
            text.AppendLine("- **Non-default sizes: a smoke test, not representative figures.**");
        }

        text.AppendLine();
        text.AppendLine(results.Method);
        text.AppendLine();
        text.AppendLine("| Part | Binding best | Binding median | DuckDB alone best | DuckDB alone median | Ratio best | Ratio median | Goal (median) | Result |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var part in results.Throughput)
        {
            text.AppendLine(
                $"| {part.Part} {Format.Count(part.Rows)} rows " +
                $"| {Format.Rate(part.BestRate)} ({Format.Seconds(part.Binding.Best)}) " +
                $"| {Format.Rate(part.MedianRate)} ({Format.Seconds(part.Binding.Median)}) " +
                $"| {Format.Rate(part.LimitBestRate)} ({Format.Seconds(part.Limit.Best)}) " +
                $"| {Format.Rate(part.LimitMedianRate)} ({Format.Seconds(part.Limit.Median)}) " +
                $"| {Format.Ratio(part.BestRatio)} | {Format.Ratio(part.MedianRatio)} | {part.Goal} | {Format.Verdict(part.Pass)} |");
        }

        text.AppendLine();
        foreach (var part in results.Throughput)
        {
            text.AppendLine($"- {part.Part}: limit `{part.LimitSql}`; {string.Join("; ", part.Notes)}. Runs: {part.RunTimes}.");
            if (part.LimitBelowGoal)
            {
                text.AppendLine($"  DuckDB alone reaches only {Format.Rate(part.LimitMedianRate)} here, below the goal: no binding can meet it on this machine.");
            }
        }

        AppendMemory(text, results);
        return text.ToString();
    }

    private static void AppendMemory(StringBuilder text, BenchResults results)
    {
        var memory = results.Memory;
        text.AppendLine();
        text.AppendLine("### Connection cycles and memory");
        text.AppendLine();
        text.AppendLine(results.MemoryMethod);
        text.AppendLine();
        text.AppendLine("| After cycles | RSS | Managed heap |");
        text.AppendLine("|---|---|---|");
        foreach (var sample in memory.Checkpoints)
        {
            text.AppendLine($"| {Format.Count(sample.Cycles)} | {Format.Bytes(sample.ResidentBytes)} | {Format.Bytes(sample.ManagedBytes)} |");
        }

        text.AppendLine();
        text.AppendLine(
            $"RSS {Format.Bytes(memory.Start.ResidentBytes)} at start, {Format.Bytes(memory.AfterWarmup.ResidentBytes)} after warm-up, " +
            $"{Format.Bytes(memory.End.ResidentBytes)} at the end: growth after warm-up {Format.Percent(memory.Growth)}, " +
            $"**{memory.Verdict}**. One cycle takes {Format.Micros(memory.PerCycle)} on average.");
    }
}
