using System.Diagnostics;
using Sluice.Core.Warehouse;

namespace Sluice.Bench;

/// <summary>
/// The generated data, the same row for row on every engine: outcome-score facts (company,
/// dimension, score, created_at over a year, in time order) and program events (an entity
/// enrolls, most are matched, about half of those complete). Values come from a hash of the
/// row number, so a run is repeatable and engines can be compared answer for answer.
/// </summary>
internal static class ScaleData
{
    public const int Companies = 200;
    public static readonly string[] Dimensions = ["attendance", "confidence", "numeracy", "reading"];
    public static readonly string[] Steps = ["enrolled", "matched", "completed"];

    /// <summary>The facts cover the year up to this day.</summary>
    public static readonly DateOnly LastDay = new(2026, 6, 30);

    public static DateOnly FirstDay => LastDay.AddDays(-364);

    public static readonly TableName Facts = new("raw", "facts");
    public static readonly TableName Events = new("raw", "events");

    private static readonly DateTime Start = FirstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
    private const long YearSeconds = 365L * 86_400;

    /// <summary>Entities in the funnel: one per ten facts.</summary>
    public static long Entities(long rows) => Math.Max(1, rows / 10);

    public static string Company(long number) => $"company-{number:000}";

    /// <summary>Drops and loads both tables with the warehouse's bulk load; returns the events loaded and the time taken.</summary>
    public static async Task<(long Events, TimeSpan Took)> LoadAsync(IWarehouseSession session, long rows)
    {
        var clock = Stopwatch.StartNew();
        await session.CreateSchemaAsync(Facts.Schema);
        await session.DropTableAsync(Facts);
        await session.DropTableAsync(Events);
        await session.CreateTableAsync(Facts, [
            new ColumnSpec("company", ColumnType.Text, nullable: false),
            new ColumnSpec("dimension", ColumnType.Text, nullable: false),
            new ColumnSpec("score", ColumnType.Double, nullable: false),
            new ColumnSpec("created_at", ColumnType.Timestamp, nullable: false)]);
        await session.CreateTableAsync(Events, [
            new ColumnSpec("entity", ColumnType.BigInt, nullable: false),
            new ColumnSpec("step", ColumnType.Text, nullable: false),
            new ColumnSpec("event_time", ColumnType.Timestamp, nullable: false)]);
        await session.BulkLoadAsync(Facts, ["company", "dimension", "score", "created_at"], FactRows(rows));
        var events = await session.BulkLoadAsync(Events, ["entity", "step", "event_time"], EventRows(rows));
        return (events, clock.Elapsed);
    }

    private static async IAsyncEnumerable<object?[]> FactRows(long rows)
    {
        var companies = Enumerable.Range(1, Companies).Select(c => Company(c)).ToArray();
        var row = new object?[4];
        for (long i = 0; i < rows; i++)
        {
            var h = Mix(i);
            row[0] = companies[i % Companies];
            row[1] = Dimensions[(int)((h >> 40) % (ulong)Dimensions.Length)];
            row[2] = (h % 10_001) / 100.0;
            row[3] = Start.AddSeconds(i * YearSeconds / rows);
            yield return row;
        }

        await Task.CompletedTask;
    }

    // Seven in ten entities are matched 0 to 44 days after enrolling (some past the 30-day
    // window), and half of those complete 0 to 19 days later.
    private static async IAsyncEnumerable<object?[]> EventRows(long rows)
    {
        var entities = Entities(rows);
        var span = YearSeconds - 60L * 86_400;
        var row = new object?[3];
        for (long e = 0; e < entities; e++)
        {
            var h = Mix(e + (1L << 40));
            var enrolled = Start.AddSeconds(e * span / entities);
            (row[0], row[1], row[2]) = (e, Steps[0], enrolled);
            yield return row;
            if (h % 10 >= 7)
            {
                continue;
            }

            var matched = enrolled.AddSeconds((long)((h >> 8) % (45UL * 86_400)));
            (row[0], row[1], row[2]) = (e, Steps[1], matched);
            yield return row;
            if ((h >> 32) % 2 == 0)
            {
                (row[0], row[1], row[2]) = (e, Steps[2], matched.AddSeconds((long)((h >> 36) % (20UL * 86_400))));
                yield return row;
            }
        }

        await Task.CompletedTask;
    }

    // splitmix64's finaliser: a cheap, well-spread hash of the row number.
    private static ulong Mix(long value)
    {
        var z = (ulong)value + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
