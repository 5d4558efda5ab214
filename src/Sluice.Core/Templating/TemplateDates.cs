using System.Globalization;

namespace Sluice.Core.Templating;

/// <summary>
/// Python's <c>datetime.date</c>: <c>year</c>, <c>month</c>, <c>day</c>, <c>strftime</c>,
/// <c>isoformat</c>, <c>weekday</c>, <c>replace</c> …; <c>date ± timedelta</c>,
/// <c>date − date</c> and ordering; rendered as <c>2024-01-05</c>.
/// </summary>
/// <param name="Value">The day.</param>
public sealed record TemplateDate(DateOnly Value) : ITemplateObject, ITemplateOperand
{
    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "year" => (long)Value.Year,
        "month" => (long)Value.Month,
        "day" => (long)Value.Day,
        "strftime" => (TemplateFunction)(call => TemplateStrftime.Format(Value.ToDateTime(TimeOnly.MinValue), null, call.AtMost(1).String(0, "format"), call)),
        "isoformat" => (TemplateFunction)(_ => Render()),
        "weekday" => (TemplateFunction)(_ => (long)Weekday(Value.DayOfWeek)),
        "isoweekday" => (TemplateFunction)(_ => (long)Weekday(Value.DayOfWeek) + 1),
        "isocalendar" => (TemplateFunction)(_ => IsoCalendar(Value.ToDateTime(TimeOnly.MinValue))),
        "toordinal" => (TemplateFunction)(_ => (long)Value.DayNumber + 1),
        "replace" => (TemplateFunction)(call => new TemplateDate(Day(call, call.Integer(0, "year", Value.Year), call.Integer(1, "month", Value.Month), call.Integer(2, "day", Value.Day)))),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render() => Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public object? Apply(string op, object? other, bool reflected) => (op, other) switch
    {
        // As Python: a date moves by the timedelta's whole days (timedelta.days), its time ignored.
        ("+", TemplateTimedelta t) => new TemplateDate(AddDays(Value, t.Days)),
        ("-", TemplateTimedelta t) when !reflected => new TemplateDate(AddDays(Value, -t.Days)),
        ("-", TemplateDate d) => new TemplateTimedelta((reflected ? d.Value.DayNumber - Value.DayNumber : Value.DayNumber - d.Value.DayNumber) * TemplateTimedelta.PerDay),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public int? CompareTo(object? other) => other is TemplateDate d ? Value.CompareTo(d.Value) : null;

    /// <summary>Python's weekday: Monday is 0.</summary>
    internal static int Weekday(DayOfWeek day) => ((int)day + 6) % 7;

    internal static List<object?> IsoCalendar(DateTime day) =>
        [(long)ISOWeek.GetYear(day), (long)ISOWeek.GetWeekOfYear(day), (long)Weekday(day.DayOfWeek) + 1];

    /// <summary>The day <paramref name="year"/>-<paramref name="month"/>-<paramref name="day"/>, or Python's error for a day that does not exist.</summary>
    internal static DateOnly Day(TemplateCall call, long year, long month, long day)
    {
        if (year is < 1 or > 9999)
        {
            throw call.Error($"{call.Name}(): year {year} is out of range (1 to 9999)");
        }

        if (month is < 1 or > 12)
        {
            throw call.Error($"{call.Name}(): month must be in 1..12, not {month}");
        }

        return day >= 1 && day <= DateTime.DaysInMonth((int)year, (int)month)
            ? new DateOnly((int)year, (int)month, (int)day)
            : throw call.Error($"{call.Name}(): day {day} is out of range for month {year}-{month:D2}");
    }

    private static DateOnly AddDays(DateOnly day, long days)
    {
        var number = day.DayNumber + days;
        return number >= DateOnly.MinValue.DayNumber && number <= DateOnly.MaxValue.DayNumber
            ? DateOnly.FromDayNumber((int)number)
            : throw new OverflowException("date value out of range");
    }
}

/// <summary>
/// A time zone: <c>pytz.utc</c>, <c>pytz.timezone('Europe/Paris')</c> (an IANA name), or a fixed
/// offset from <c>%z</c>. Rendered as its name; pytz's <c>localize(dt)</c> makes a naive datetime
/// aware in it. Two zones are equal when their names are.
/// </summary>
/// <param name="Name">Its name, as Python prints it.</param>
/// <param name="Info">The zone's rules.</param>
public sealed record TemplateTimeZone(string Name, TimeZoneInfo Info) : ITemplateObject
{
    /// <summary>UTC.</summary>
    public static TemplateTimeZone Utc { get; } = new("UTC", TimeZoneInfo.Utc);

    /// <summary>The zone named <paramref name="name"/> (IANA, as <c>America/New_York</c>), or null when there is none.</summary>
    public static TemplateTimeZone? Find(string name) =>
        name is "UTC" or "utc" ? Utc
        : TimeZoneInfo.TryFindSystemTimeZoneById(name, out var info) ? new TemplateTimeZone(name, info)
        : null;

    /// <summary>A zone always <paramref name="offset"/> from UTC, named as Python names one (<c>UTC+05:30</c>).</summary>
    public static TemplateTimeZone Fixed(TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            return Utc;
        }

        var name = "UTC" + TemplateDateTime.Offset(offset, ":");
        return new TemplateTimeZone(name, TimeZoneInfo.CreateCustomTimeZone(name, offset, name, name));
    }

    /// <summary>The zone's offset from UTC at the wall-clock time <paramref name="wall"/>.</summary>
    public TimeSpan OffsetAt(DateTime wall) => Info.GetUtcOffset(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified));

    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "zone" or "key" => Name,
        "localize" => (TemplateFunction)(call => call.Argument(0, "dt") is TemplateDateTime { Zone: null } naive
            ? naive with { Zone = this }
            : throw call.Error("localize() takes a datetime without a time zone (a naive one)")),
        "utcoffset" => (TemplateFunction)(call => call.Argument(0, "dt") is TemplateDateTime dt
            ? new TemplateTimedelta(OffsetAt(dt.Wall).Ticks / 10)
            : throw call.Error("utcoffset() takes a datetime")),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render() => Name;

    /// <inheritdoc />
    public bool Equals(TemplateTimeZone? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);
}
