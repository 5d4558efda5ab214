using System.Diagnostics;
using Sluice.DuckDb;

namespace Sluice.Bench;

/// <summary>
/// Part 1: every row of t through <see cref="DuckDbDataReader"/> into typed values. The limit is
/// DuckDB scanning the same columns and aggregating them itself, so the ratio is the price of
/// handing each value to .NET (a string per row included).
/// </summary>
internal sealed class ReadBenchmark(BenchDatabase databases, BenchOptions options)
{
    public const double GoalRowsPerSecond = 5_000_000;

    private const string LimitSql = "SELECT sum(a), sum(b), sum(length(c)) FROM t";

    public ThroughputResult Run()
    {
        using var connection = databases.Open("read");
        var load = Stopwatch.StartNew();
        connection.ExecuteScript($"CREATE TABLE t {BenchRows.Columns}; {BenchRows.InsertSql("t", options.Rows)}; CHECKPOINT;");
        Console.WriteLine($"    created t with {Format.Count(options.Rows)} rows in {Format.Seconds(load.Elapsed)} (not measured)");

        var expected = Checksum.Query(connection, "t");
        if (expected.Rows != options.Rows)
        {
            throw new InvalidDataException($"t has {expected.Rows} rows after loading {options.Rows}.");
        }

        var (binding, limit) = AlternatingRuns.Measure(
            options.Runs,
            () => TimeDuckDb(connection, expected),
            () => TimeReader(connection, expected));
        return new ThroughputResult(
            "Read",
            options.Rows,
            binding,
            limit,
            LimitSql,
            GoalRowsPerSecond,
            [
                "`SELECT a, b, c FROM t` read with `GetInt64`, `GetDouble`, `GetString` (one .NET string per row)",
                "every run's checksum (rows, sum(a), sum(b), total length and last digits of c) matched SQL's",
            ]);
    }

    private static TimeSpan TimeReader(DuckDbConnection connection, Checksum expected)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT a, b, c FROM t";
        long rows = 0, sumA = 0, totalLength = 0, lastDigits = 0;
        var sumB = 0.0;
        var clock = Stopwatch.StartNew();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                sumA += reader.GetInt64(0);
                sumB += reader.GetDouble(1);
                var c = reader.GetString(2);
                totalLength += c.Length;
                lastDigits += c[^1] - '0';
                rows++;
            }
        }

        clock.Stop();
        Checksum.Verify("DuckDbDataReader", new Checksum(rows, sumA, sumB, totalLength, lastDigits), expected);
        return clock.Elapsed;
    }

    private static TimeSpan TimeDuckDb(DuckDbConnection connection, Checksum expected)
    {
        using var command = connection.CreateCommand();
        command.CommandText = LimitSql;
        var clock = Stopwatch.StartNew();
        using var reader = command.ExecuteReader();
        reader.Read();
        var sums = (A: reader.GetFieldValue<long>(0), B: reader.GetDouble(1), Length: reader.GetFieldValue<long>(2));
        clock.Stop();
        if (sums != (expected.SumA, expected.SumB, expected.TotalLength))
        {
            throw new InvalidDataException($"DuckDB's own sums {sums} differ from the checksum {expected}.");
        }

        return clock.Elapsed;
    }
}
