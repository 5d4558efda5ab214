namespace Sluice.Core.Models;

/// <summary>One date partition: the rows whose partition column lies in [Start, End).</summary>
/// <param name="Start">The first day, which also names the partition (its job runs' target_date).</param>
/// <param name="End">The day after the last.</param>
public readonly record struct DatePartition(DateOnly Start, DateOnly End);

/// <summary>Date partitions by grain.</summary>
public static class Partitions
{
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
