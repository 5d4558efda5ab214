namespace Sluice.Core.Models;

/// <summary>One date partition: the rows whose partition column lies in [Start, End).</summary>
/// <param name="Start">The first day, which also names the partition (its job runs' target_date).</param>
/// <param name="End">The day after the last.</param>
public readonly record struct DatePartition(DateOnly Start, DateOnly End);

/// <summary>What a partition column holds.</summary>
public enum PartitionKeyKind
{
    /// <summary>A date or timestamp: a row belongs to the partition holding its day.</summary>
    Date,

    /// <summary>A whole number of the form yyyymmdd (20250115), the date keys of a star schema.</summary>
    DateKey,
}

/// <summary>Date partitions by grain.</summary>
public static class Partitions
{
    /// <summary>
    /// The SQL condition that holds for the rows of [<paramref name="start"/>, <paramref name="end"/>)
    /// whose partition column, quoted as <paramref name="column"/>, holds keys of <paramref name="kind"/>.
    /// Literals rather than parameters: some callers run it where parameters are not taken, and
    /// the days are formatted from dates, never from text a user typed.
    /// </summary>
    public static string Condition(string column, PartitionKeyKind kind, DateOnly start, DateOnly end) =>
        $"{column} >= {Literal(start, kind)} and {column} < {Literal(end, kind)}";

    /// <summary>A day as the partition column of <paramref name="kind"/> holds it.</summary>
    public static string Literal(DateOnly day, PartitionKeyKind kind) => kind == PartitionKeyKind.DateKey
        ? DateKey(day).ToString(System.Globalization.CultureInfo.InvariantCulture)
        : $"date '{day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}'";

    /// <summary>The yyyymmdd key of <paramref name="day"/>.</summary>
    public static int DateKey(DateOnly day) => (day.Year * 10_000) + (day.Month * 100) + day.Day;

    /// <summary>The partition of <paramref name="grain"/> that holds <paramref name="day"/>.</summary>
    public static DatePartition Containing(DateOnly day, PartitionGrain grain)
    {
        switch (grain)
        {
            case PartitionGrain.Week:
                // ISO weeks start on Monday.
                var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
                return new DatePartition(monday, monday.AddDays(7));
            case PartitionGrain.Month:
                var first = new DateOnly(day.Year, day.Month, 1);
                return new DatePartition(first, first.AddMonths(1));
            default:
                return new DatePartition(day, day.AddDays(1));
        }
    }

    /// <summary>The partitions that cover [<paramref name="from"/>, <paramref name="to"/>], both inclusive, in order.</summary>
    public static IReadOnlyList<DatePartition> Covering(DateOnly from, DateOnly to, PartitionGrain grain)
    {
        var partitions = new List<DatePartition>();
        for (var partition = Containing(from, grain); partition.Start <= to; partition = Containing(partition.End, grain))
        {
            partitions.Add(partition);
        }

        return partitions;
    }
}
