using System.Globalization;
using System.Text.RegularExpressions;

namespace Sluice.Core.Templating;

/// <summary>
/// <c>modules.datetime</c> (the classes <c>date</c>, <c>datetime</c>, <c>timedelta</c> and
/// <c>timezone</c>) and <c>modules.pytz</c> (<c>utc</c>, <c>timezone(name)</c>). The current time
/// comes from the clock given; Python's "local time" is the clock's local zone.
/// </summary>
internal static partial class TemplateDateModule
{
    /// <summary><c>modules.pytz</c>.</summary>
    public static TemplateModule Pytz { get; } = new("pytz", new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["utc"] = TemplateTimeZone.Utc,
        ["UTC"] = TemplateTimeZone.Utc,
        ["timezone"] = (TemplateFunction)(call => Zone(call, call.String(0, "zone"))),
    });

    /// <summary><c>modules.datetime</c>, reading the time from <paramref name="clock"/>.</summary>
    public static TemplateModule Create(TimeProvider clock)
    {
        var local = clock.LocalTimeZone;
        TemplateDateTime Naive(DateTime wall) => new(TemplateDateTime.Truncate(wall), null) { Local = local };
        TemplateDateTime At(DateTime utc, object? zone, TemplateCall call) => zone switch
        {
            null => Naive(TimeZoneInfo.ConvertTimeFromUtc(utc, local)),
            TemplateTimeZone z => new TemplateDateTime(TemplateDateTime.Truncate(TimeZoneInfo.ConvertTimeFromUtc(utc, z.Info)), z) { Local = local },
            var other => throw call.Error($"{call.Name}(): tz must be a time zone, such as modules.pytz.utc, not {TemplateValues.TypeName(other)}"),
        };
        DateTime FromTimestamp(TemplateCall call)
        {
            var seconds = call.Number(0, "timestamp", double.NaN);
            return double.IsFinite(seconds) && Math.Abs(seconds) < 2.5e11
                ? DateTime.UnixEpoch.AddTicks(TemplateTimedelta.Round(seconds * TemplateTimedelta.PerSecond) * 10)
                : throw call.Error($"{call.Name}() needs a timestamp in seconds since 1970 within the years 1 to 9999");
        }

        var date = new TemplateClass("datetime.date", call => new TemplateDate(TemplateDate.Day(call, call.Integer(0, "year"), call.Integer(1, "month"), call.Integer(2, "day"))), new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["today"] = (TemplateFunction)(_ => new TemplateDate(DateOnly.FromDateTime(clock.GetLocalNow().DateTime))),
            ["fromisoformat"] = (TemplateFunction)(call => IsoDate().Match(call.String(0, "date_string")) is { Success: true } m
                ? new TemplateDate(TemplateDate.Day(call, Int(m, "y"), Int(m, "m"), Int(m, "d")))
                : throw call.Error($"fromisoformat(): invalid isoformat string: {TemplateValues.Repr(call.String(0, "date_string"))}; write it as YYYY-MM-DD")),
            ["fromordinal"] = (TemplateFunction)(call => call.Integer(0, "ordinal") is var ordinal && ordinal >= 1 && ordinal <= DateOnly.MaxValue.DayNumber + 1
                ? new TemplateDate(DateOnly.FromDayNumber((int)(ordinal - 1)))
                : throw call.Error($"fromordinal(): {ordinal} is out of range (1 to {DateOnly.MaxValue.DayNumber + 1})")),
        });
        var datetime = new TemplateClass("datetime.datetime", call => Construct(call, local), new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["now"] = (TemplateFunction)(call => At(clock.GetUtcNow().UtcDateTime, call.Argument(0, "tz"), call)),
            ["today"] = (TemplateFunction)(call => At(clock.GetUtcNow().UtcDateTime, null, call)),
            ["utcnow"] = (TemplateFunction)(_ => Naive(clock.GetUtcNow().UtcDateTime)),
            ["fromtimestamp"] = (TemplateFunction)(call => At(FromTimestamp(call), call.Argument(1, "tz"), call)),
            ["utcfromtimestamp"] = (TemplateFunction)(call => Naive(FromTimestamp(call))),
            ["strptime"] = (TemplateFunction)(call =>
            {
                var (wall, offset) = TemplateStrftime.Parse(call.String(0, "date_string"), call.String(1, "format"), call);
                return new TemplateDateTime(wall, offset is { } o ? TemplateTimeZone.Fixed(o) : null) { Local = local };
            }),
            ["fromisoformat"] = (TemplateFunction)(call => FromIsoformat(call, local)),
        });
        var timedelta = new TemplateClass("datetime.timedelta", Timedelta, new Dictionary<string, object?>(StringComparer.Ordinal));
        var timezone = new TemplateClass(
            "datetime.timezone",
            call => call.Argument(0, "offset") is TemplateTimedelta offset ? TemplateTimeZone.Fixed(TimeSpan.FromTicks(offset.Microseconds * 10)) : throw call.Error("timezone() takes a timedelta, as timezone(timedelta(hours=2))"),
            new Dictionary<string, object?>(StringComparer.Ordinal) { ["utc"] = TemplateTimeZone.Utc });
        return new TemplateModule("datetime", new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["date"] = date,
            ["datetime"] = datetime,
            ["timedelta"] = timedelta,
            ["timezone"] = timezone,
            ["MINYEAR"] = 1L,
            ["MAXYEAR"] = 9999L,
        });
    }

    /// <summary>A time of day, or Python's error for one that does not exist.</summary>
    internal static TimeSpan TimeOfDay(TemplateCall call, long hour, long minute, long second, long microsecond)
    {
        static void Check(TemplateCall call, string what, long value, long max)
        {
            if (value < 0 || value > max)
            {
                throw call.Error($"{call.Name}(): {what} must be in 0..{max}, not {value}");
            }
        }

        Check(call, "hour", hour, 23);
        Check(call, "minute", minute, 59);
        Check(call, "second", second, 59);
        Check(call, "microsecond", microsecond, 999_999);
        return new TimeSpan(0, (int)hour, (int)minute, (int)second) + TimeSpan.FromTicks(microsecond * 10);
    }

    // datetime(year, month, day, hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    private static TemplateDateTime Construct(TemplateCall call, TimeZoneInfo local)
    {
        var day = TemplateDate.Day(call, call.Integer(0, "year"), call.Integer(1, "month"), call.Integer(2, "day"));
        var time = TimeOfDay(call, call.Integer(3, "hour", 0), call.Integer(4, "minute", 0), call.Integer(5, "second", 0), call.Integer(6, "microsecond", 0));
        var zone = call.Argument(7, "tzinfo") switch
        {
            null => null,
            TemplateTimeZone given => given,
            var other => throw call.Error($"datetime(): tzinfo must be a time zone, not {TemplateValues.TypeName(other)}"),
        };
        return new TemplateDateTime(day.ToDateTime(TimeOnly.MinValue) + time, zone) { Local = local };
    }

    // timedelta(days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0, hours=0, weeks=0), each possibly a float.
    private static TemplateTimedelta Timedelta(TemplateCall call)
    {
        string[] names = ["days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"];
        double[] scale = [TemplateTimedelta.PerDay, TemplateTimedelta.PerSecond, 1, 1000, 60 * TemplateTimedelta.PerSecond, 3600 * TemplateTimedelta.PerSecond, 7 * TemplateTimedelta.PerDay];
        if (call.Named.Keys.FirstOrDefault(k => !names.Contains(k)) is { } unknown)
        {
            throw call.Error($"timedelta() has no argument '{unknown}'; its arguments are {string.Join(", ", names)}");
        }

        decimal total = 0;
        for (var i = 0; i < names.Length; i++)
        {
            total += (decimal)call.Number(i, names[i], 0) * (decimal)scale[i];
        }

        return new TemplateTimedelta(TemplateTimedelta.Round((double)decimal.Round(total, MidpointRounding.ToEven)));
    }

    private static TemplateDateTime FromIsoformat(TemplateCall call, TimeZoneInfo local)
    {
        var text = call.String(0, "date_string");
        if (IsoDateTime().Match(text) is not { Success: true } m)
        {
            throw call.Error($"fromisoformat(): invalid isoformat string: {TemplateValues.Repr(text)}; write it as YYYY-MM-DD[THH:MM[:SS[.ffffff]]][+HH:MM]");
        }

        var day = TemplateDate.Day(call, Int(m, "y"), Int(m, "m"), Int(m, "d"));
        var micro = m.Groups["f"].Success ? int.Parse(m.Groups["f"].Value.PadRight(6, '0')[..6], CultureInfo.InvariantCulture) : 0;
        var time = TimeOfDay(call, Int(m, "H"), Int(m, "M"), Int(m, "S"), micro);
        TemplateTimeZone? zone = null;
        if (m.Groups["z"].Success)
        {
            var z = m.Groups["z"].Value;
            var size = z == "Z" ? TimeSpan.Zero : new TimeSpan(Int(m, "zh"), Int(m, "zm"), Int(m, "zs"));
            zone = TemplateTimeZone.Fixed(z.StartsWith('-') ? -size : size);
        }

        return new TemplateDateTime(day.ToDateTime(TimeOnly.MinValue) + time, zone) { Local = local };
    }

    private static TemplateTimeZone Zone(TemplateCall call, string name) => TemplateTimeZone.Find(name)
        ?? throw call.Error($"unknown time zone '{name}'; use an IANA name such as 'Europe/Paris' or 'America/New_York', or 'UTC'");

    private static int Int(Match match, string group) =>
        match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"\A(?<y>\d{4})-?(?<m>\d{2})-?(?<d>\d{2})\z")]
    private static partial Regex IsoDate();

    // Python 3.11's fromisoformat: a date, then any one separator and a time, hours to microseconds, and an offset.
    [GeneratedRegex(@"\A(?<y>\d{4})-?(?<m>\d{2})-?(?<d>\d{2})(?:.(?<H>\d{2})(?::?(?<M>\d{2})(?::?(?<S>\d{2})(?:[.,](?<f>\d{1,9}))?)?)?(?<z>Z|[+-](?<zh>\d{2}):?(?<zm>\d{2})(?::?(?<zs>\d{2}))?)?)?\z")]
    private static partial Regex IsoDateTime();
}
