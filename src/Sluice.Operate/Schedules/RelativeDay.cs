using System.Globalization;
using System.Text.RegularExpressions;

namespace Sluice.Operate.Schedules;

/// <summary>Days written relative to the day a scheduled run happens: <c>today</c>, <c>yesterday</c>, <c>today-7</c>, <c>today+1</c>.</summary>
public static partial class RelativeDay
{
    /// <summary>The day <paramref name="text"/> names when the run happens on <paramref name="today"/>; null when it is not a relative day.</summary>
    public static DateOnly? TryResolve(string text, DateOnly today)
    {
        if (text == "yesterday")
        {
            return today.AddDays(-1);
        }

        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        if (!match.Groups["offset"].Success)
        {
            return today;
        }

        var days = int.Parse(match.Groups["days"].Value, CultureInfo.InvariantCulture);
        return today.AddDays(match.Groups["sign"].Value == "-" ? -days : days);
    }

    /// <summary>Whether <paramref name="text"/> is a relative day or a calendar day (<c>2026-03-01</c>).</summary>
    public static bool IsDay(string text) =>
        TryResolve(text, new DateOnly(2000, 1, 1)) is not null
        || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    [GeneratedRegex("^today(?<offset>(?<sign>[-+])(?<days>[0-9]{1,4}))?$")]
    private static partial Regex Pattern();
}
