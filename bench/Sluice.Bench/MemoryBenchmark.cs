using System.Diagnostics;
using Sluice.DuckDb;

namespace Sluice.Bench;

/// <summary>
/// Part 3: many short-lived connections, as the server opens one per request, while one
/// long-lived connection keeps the file's database instance open (as the server's does).
/// Resident memory must level off after warm-up; steady growth would be a leak of connections,
/// results or handles. It runs first, so the other parts' buffers are not in its baseline.
/// </summary>
internal sealed class MemoryBenchmark(BenchDatabase databases, BenchOptions options)
{
    public const string Query = "select 42";

    public MemoryResult Run()
    {
        var connectionString = databases.ConnectionString("memory");
        using var keeper = new DuckDbConnection(connectionString);
        keeper.Open();

        var every = Math.Max(1, options.WarmupCycles);
        var checkpoints = new List<MemorySample> { MemorySample.Take(0) };
        Print(checkpoints[^1]);
        var clock = Stopwatch.StartNew();
        for (var cycle = 1; cycle <= options.Cycles; cycle++)
        {
            Cycle(connectionString);
            if (cycle % every == 0 || cycle == options.Cycles)
            {
                // Sampling forces full collections; they are not part of a cycle's cost.
                clock.Stop();
                checkpoints.Add(MemorySample.Take(cycle));
                Print(checkpoints[^1]);
                clock.Start();
            }
        }

        return new MemoryResult(options.Cycles, options.WarmupCycles, checkpoints, clock.Elapsed);
    }

    private static void Cycle(string connectionString)
    {
        using var connection = new DuckDbConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Query;
        if (command.ExecuteScalar() is not 42)
        {
            throw new InvalidDataException($"'{Query}' did not return 42.");
        }
    }

    private static void Print(MemorySample sample) =>
        Console.WriteLine($"    after {Format.Count(sample.Cycles),7} cycles   RSS {Format.Bytes(sample.ResidentBytes),10}   managed heap {Format.Bytes(sample.ManagedBytes),9}");
}
