namespace Sluice.DuckDb;

/// <summary>A DuckDB INTERVAL: months and days are kept apart from the time part, as in SQL.</summary>
public readonly record struct DuckDbInterval(int Months, int Days, long Micros)
{
    /// <summary>The interval as a TimeSpan; a month has no fixed length, so months must be zero.</summary>
    public TimeSpan ToTimeSpan() => Months == 0
        ? TimeSpan.FromDays(Days) + TimeSpan.FromMicroseconds(Micros)
        : throw new InvalidCastException($"The interval {this} has {Months} month(s), which has no fixed length as a TimeSpan.");

    /// <summary>An interval of the given TimeSpan, in days and microseconds.</summary>
    public static DuckDbInterval FromTimeSpan(TimeSpan span) =>
        new(0, span.Days, (span - TimeSpan.FromDays(span.Days)).Ticks / TimeSpan.TicksPerMicrosecond);

    /// <inheritdoc />
    public override string ToString() => $"{Months} months {Days} days {Micros} microseconds";
}
