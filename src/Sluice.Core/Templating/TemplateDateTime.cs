using System.Globalization;

namespace Sluice.Core.Templating;

/// <summary>
/// Python's <c>datetime.datetime</c>, to the microsecond: naive (no zone) or aware
/// (<see cref="Zone"/> set). Attributes <c>year</c> … <c>microsecond</c>, <c>tzinfo</c>; methods
/// <c>strftime</c>, <c>isoformat</c>, <c>date()</c>, <c>weekday()</c>, <c>replace(…)</c>,
/// <c>timestamp()</c>, <c>astimezone(tz)</c> …; <c>± timedelta</c>, <c>datetime − datetime</c>
/// and ordering; rendered as Python's <c>str()</c> (<c>2024-01-05 13:04:05</c>). Arithmetic on an
/// aware value moves its wall-clock time and keeps its zone, as Python's zoneinfo does.
/// </summary>
/// <param name="Wall">The wall-clock time (its Kind is ignored).</param>
/// <param name="Zone">The zone of an aware datetime; null for a naive one.</param>
public sealed record TemplateDateTime(DateTime Wall, TemplateTimeZone? Zone) : ITemplateObject, ITemplateOperand
{
    /// <summary>
    /// The zone a naive datetime is taken to be in by <c>timestamp()</c> and <c>astimezone()</c>,
    /// Python's "local time": the clock's local zone.
    /// </summary>
    public TimeZoneInfo Local { get; init; } = TimeZoneInfo.Utc;

    private long Micro => Wall.Ticks % TimeSpan.TicksPerSecond / 10;

    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "year" => (long)Wall.Year,
        "month" => (long)Wall.Month,
        "day" => (long)Wall.Day,
        "hour" => (long)Wall.Hour,
        "minute" => (long)Wall.Minute,
        "second" => (long)Wall.Second,
        "microsecond" => Micro,
        "tzinfo" => Zone,
        "strftime" => (TemplateFunction)(call => TemplateStrftime.Format(Wall, Zone is null ? null : (Zone.OffsetAt(Wall), ZoneName()), call.AtMost(1).String(0, "format"), call)),
        "isoformat" => (TemplateFunction)(call => Isoformat(call.Argument(0, "sep", "T") as string ?? "T", call.Argument(1, "timespec", "auto") as string ?? "auto", call)),
        "date" => (TemplateFunction)(_ => new TemplateDate(DateOnly.FromDateTime(Wall))),
        "weekday" => (TemplateFunction)(_ => (long)TemplateDate.Weekday(Wall.DayOfWeek)),
        "isoweekday" => (TemplateFunction)(_ => (long)TemplateDate.Weekday(Wall.DayOfWeek) + 1),
        "isocalendar" => (TemplateFunction)(_ => TemplateDate.IsoCalendar(Wall)),
        "toordinal" => (TemplateFunction)(_ => (long)DateOnly.FromDateTime(Wall).DayNumber + 1),
        "replace" => (TemplateFunction)Replace,
        "timestamp" => (TemplateFunction)(_ => (Instant() - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond),
        "astimezone" => (TemplateFunction)(call => AsTimeZone(call.Argument(0, "tz") switch
        {
            null => new TemplateTimeZone(Local.Id, Local),
            TemplateTimeZone zone => zone,
            var other => throw call.Error($"astimezone() takes a time zone, not {TemplateValues.TypeName(other)}"),
        })),
        "utcoffset" => (TemplateFunction)(_ => Zone is null ? null : new TemplateTimedelta(Zone.OffsetAt(Wall).Ticks / 10)),
        "tzname" => (TemplateFunction)(_ => Zone is null ? null : ZoneName()),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render() => Isoformat(" ", "auto", null);

    /// <inheritdoc />
    public object? Apply(string op, object? other, bool reflected) => (op, other) switch
    {
        ("+", TemplateTimedelta t) => Add(t.Microseconds),
        ("-", TemplateTimedelta t) when !reflected => Add(-t.Microseconds),
        ("-", TemplateDateTime d) when (Zone is null) != (d.Zone is null) => throw new ArithmeticException("cannot subtract a datetime without a time zone and one with a time zone; give both a zone or neither"),
        ("-", TemplateDateTime d) => new TemplateTimedelta((reflected ? d.Comparable - Comparable : Comparable - d.Comparable).Ticks / 10),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public int? CompareTo(object? other) =>
        other is TemplateDateTime d && (Zone is null) == (d.Zone is null) ? Comparable.CompareTo(d.Comparable) : null;

    /// <summary>Python's equality: naive values by wall-clock time, aware ones by the instant; a naive one never equals an aware one.</summary>
    public bool Equals(TemplateDateTime? other) =>
        other is not null && (Zone is null) == (other.Zone is null) && Comparable == other.Comparable;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Zone is null, Comparable);

    /// <summary>An offset as Python writes it: <c>+05:30</c>, with seconds when it has them.</summary>
    internal static string Offset(TimeSpan offset, string separator)
    {
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var size = offset.Duration();
        var text = string.Create(CultureInfo.InvariantCulture, $"{sign}{size.Hours + (size.Days * 24):D2}{separator}{size.Minutes:D2}");
        return size.Seconds == 0 ? text : string.Create(CultureInfo.InvariantCulture, $"{text}{separator}{size.Seconds:D2}");
    }

    /// <summary>A wall-clock time cut to the microsecond, as Python keeps it.</summary>
    internal static DateTime Truncate(DateTime time) => new(time.Ticks - (time.Ticks % 10), DateTimeKind.Unspecified);

    // The value two datetimes of the same kind are compared by: the wall clock, or the UTC instant.
    private DateTime Comparable => Zone is null ? Wall : Instant();

    private DateTime Instant() => Zone is null
        ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(Wall, DateTimeKind.Unspecified), Local)
        : DateTime.SpecifyKind(Wall - Zone.OffsetAt(Wall), DateTimeKind.Utc);

    private string ZoneName()
    {
        var zone = Zone!;
        if (zone.Info == TimeZoneInfo.Utc || zone.Info.Id == zone.Name && zone.Name.StartsWith("UTC", StringComparison.Ordinal))
        {
            return zone.Name;
        }

        return zone.Info.IsDaylightSavingTime(DateTime.SpecifyKind(Wall, DateTimeKind.Unspecified)) ? zone.Info.DaylightName : zone.Info.StandardName;
    }

    private TemplateDateTime Add(long microseconds)
    {
        var ticks = Wall.Ticks + (microseconds * 10.0);
        return ticks >= DateTime.MinValue.Ticks && ticks <= DateTime.MaxValue.Ticks
            ? this with { Wall = Wall.AddTicks(microseconds * 10) }
            : throw new OverflowException("date value out of range");
    }

    private TemplateDateTime AsTimeZone(TemplateTimeZone zone)
    {
        var wall = TimeZoneInfo.ConvertTimeFromUtc(Instant(), zone.Info);
        return this with { Wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified), Zone = zone };
    }

    private TemplateDateTime Replace(TemplateCall call)
    {
        var day = TemplateDate.Day(call, call.Integer(0, "year", Wall.Year), call.Integer(1, "month", Wall.Month), call.Integer(2, "day", Wall.Day));
        var time = TemplateDateModule.TimeOfDay(call, call.Integer(3, "hour", Wall.Hour), call.Integer(4, "minute", Wall.Minute), call.Integer(5, "second", Wall.Second), call.Integer(6, "microsecond", Micro));
        var zone = call.Argument(7, "tzinfo", Zone) switch
        {
            null => null,
            TemplateTimeZone given => given,
            var other => throw call.Error($"replace(): tzinfo must be a time zone or None, not {TemplateValues.TypeName(other)}"),
        };
        return this with { Wall = day.ToDateTime(TimeOnly.MinValue) + time, Zone = zone };
    }

    private string Isoformat(string separator, string timespec, TemplateCall? call)
    {
        var time = timespec switch
        {
            "auto" => Micro == 0 ? "HH:mm:ss" : "HH:mm:ss.ffffff",
            "hours" => "HH",
            "minutes" => "HH:mm",
            "seconds" => "HH:mm:ss",
            "milliseconds" => "HH:mm:ss.fff",
            "microseconds" => "HH:mm:ss.ffffff",
            _ => throw call!.Error($"isoformat(): unknown timespec '{timespec}'; use auto, hours, minutes, seconds, milliseconds or microseconds"),
        };
        var text = Wall.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + separator + Wall.ToString(time, CultureInfo.InvariantCulture);
        return Zone is null ? text : text + Offset(Zone.OffsetAt(Wall), ":");
    }
}
