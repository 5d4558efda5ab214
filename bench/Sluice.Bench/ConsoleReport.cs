namespace Sluice.Bench;

/// <summary>What the benchmark prints: the circumstances first, a summary with verdicts last.</summary>
internal static class ConsoleReport
{
    public static void Header(MachineInfo machine, BenchOptions options, BenchDatabase databases)
    {
        Console.WriteLine("Sluice DuckDB binding benchmark");
        Console.WriteLine($"  date      {machine.DateText}");
        Console.WriteLine($"  machine   {machine.Machine}");
        Console.WriteLine($"  software  DuckDB {machine.DuckDb}, {machine.DotNet}, {machine.Build}");
        Console.WriteLine($"  settings  {Format.Count(options.Rows)} rows, {options.Runs} measured runs after 1 warm-up, {Format.Count(options.Cycles)} connection cycles, DuckDB threads={databases.Threads}");
        Console.WriteLine($"  files     {databases.Folder}");
        Console.WriteLine($"  load      {machine.LoadAtStart ?? "unknown"} (1/5/15 min load average before starting, on {machine.Cores} cores)");
        if (!options.IsDefaultSize)
        {
            Console.WriteLine("  NOTE      non-default sizes: a smoke test, not figures to publish");
        }

        Console.WriteLine();
    }

    public static void Part(int number, string title)
    {
        Console.WriteLine();
        Console.WriteLine($"[{number}/4] {title}");
    }

    public static void Summary(BenchResults results)
    {
        Console.WriteLine();
        Console.WriteLine("Summary (ratio = binding time / DuckDB-alone time in the same run; 1.00x = no overhead)");
        foreach (var part in results.Throughput)
        {
            Console.WriteLine($"  {part.Part,-7} best {Format.Rate(part.BestRate)}, median {Format.Rate(part.MedianRate)}; " +
                $"DuckDB alone best {Format.Seconds(part.Limit.Best)}, median {Format.Seconds(part.Limit.Median)}; " +
                $"ratio best {Format.Ratio(part.BestRatio)}, median {Format.Ratio(part.MedianRatio)}");
            Console.WriteLine($"          goal {part.Goal} (median): {Format.Verdict(part.Pass)}");
            if (part.LimitBelowGoal)
            {
                Console.WriteLine($"          DuckDB alone reaches only {Format.Rate(part.LimitMedianRate)}: no binding can meet this goal on this machine");
            }
        }

        var memory = results.Memory;
        Console.WriteLine($"  Memory  {Format.Count(memory.Cycles)} open/query/dispose cycles with one long-lived connection keeping the database instance shared (as the server does)");
        Console.WriteLine($"          RSS start {Format.Bytes(memory.Start.ResidentBytes)}, after {Format.Count(memory.AfterWarmup.Cycles)} warm-up cycles {Format.Bytes(memory.AfterWarmup.ResidentBytes)}, " +
            $"end {Format.Bytes(memory.End.ResidentBytes)}; growth after warm-up {Format.Percent(memory.Growth)}: {memory.Verdict} (threshold {MemoryResult.StableGrowth:P0})");
        Console.WriteLine($"          {Format.Micros(memory.PerCycle)} per cycle");
        if (results.Load is { } load)
        {
            Console.WriteLine($"  Load    {load}");
        }
    }
}
