using System.Diagnostics;
using Sluice.DuckDb;

namespace Sluice.Bench;

/// <summary>
/// Part 3: the rows generated in C# and written with <see cref="DuckDbAppender"/> into a fresh
/// table. The limit is DuckDB generating and inserting the same rows in one INSERT ... SELECT,
/// which no client can beat: the ratio is the price of the values coming from .NET. It runs
/// twice: into a file, the real workload, where DuckDB's compression of each row group on the
/// writing thread dominates; and into memory, which leaves the binding's own cost.
/// </summary>
internal sealed class AppendBenchmark(BenchDatabase databases, BenchOptions options, bool inMemory)
{
    public const double GoalRowsPerSecond = 3_000_000;

    private const string Table = "t2";

    public ThroughputResult Run()
    {
        using var connection = inMemory ? databases.OpenInMemory() : databases.Open("append");
        var (generation, expected) = TimeGeneration();
        Console.WriteLine($"    generating the values in C# alone: best {Format.Seconds(generation)} ({Format.Rate(options.Rows / generation.TotalSeconds)}), included in the appender's time");

        var (binding, limit) = AlternatingRuns.Measure(
            options.Runs,
            () => TimeInsertSelect(connection, expected),
            () => TimeAppender(connection, expected));
        return new ThroughputResult(
            inMemory ? "Append (in memory)" : "Append (file)",
            options.Rows,
            binding,
            limit,
            BenchRows.InsertSql(Table, options.Rows),
            GoalRowsPerSecond,
            [
                $"`BeginRow().Append(long).Append(double).Append(string).EndRow()` per row, then `Dispose`; the time includes generating the values in C#, which alone takes {Format.Seconds(generation)} ({Format.Rate(options.Rows / generation.TotalSeconds)})",
                $"`{Table}` is dropped, checkpointed and recreated before every run (not measured); afterwards its row count and sums are checked",
            ]);
    }

    private TimeSpan TimeAppender(DuckDbConnection connection, Checksum expected)
    {
        Recreate(connection);
        var rows = options.Rows;
        var clock = Stopwatch.StartNew();
        using (var appender = connection.CreateAppender(null, Table))
        {
            for (long i = 0; i < rows; i++)
            {
                appender.BeginRow().Append(BenchRows.A(i)).Append(BenchRows.B(i)).Append(BenchRows.C(i)).EndRow();
            }
        }

        clock.Stop();
        Checksum.Verify("DuckDbAppender", Checksum.Query(connection, Table), expected);
        return clock.Elapsed;
    }

    private TimeSpan TimeInsertSelect(DuckDbConnection connection, Checksum expected)
    {
        Recreate(connection);
        var clock = Stopwatch.StartNew();
        connection.ExecuteScript(BenchRows.InsertSql(Table, options.Rows));
        clock.Stop();
        Checksum.Verify("INSERT ... SELECT", Checksum.Query(connection, Table), expected);
        return clock.Elapsed;
    }

    /// <summary>The appender's loop without the appender, best of warm-up and runs; its checksum is what both sides must write.</summary>
    private (TimeSpan Best, Checksum Expected) TimeGeneration()
    {
        var best = TimeSpan.MaxValue;
        Checksum sum = default;
        for (var round = 0; round <= options.Runs; round++)
        {
            long sumA = 0, totalLength = 0, lastDigits = 0;
            var sumB = 0.0;
            var clock = Stopwatch.StartNew();
            for (long i = 0; i < options.Rows; i++)
            {
                var c = BenchRows.C(i);
                sumA += BenchRows.A(i);
                sumB += BenchRows.B(i);
                totalLength += c.Length;
                lastDigits += c[^1] - '0';
            }

            clock.Stop();
            best = clock.Elapsed < best ? clock.Elapsed : best;
            sum = new Checksum(options.Rows, sumA, sumB, totalLength, lastDigits);
        }

        return (best, sum);
    }

    private static void Recreate(DuckDbConnection connection) =>
        connection.ExecuteScript($"DROP TABLE IF EXISTS {Table}; CHECKPOINT; CREATE TABLE {Table} {BenchRows.Columns};");
}
