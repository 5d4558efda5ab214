using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Sluice.Core.Templating;

/// <summary>
/// Python's <c>strftime</c> and <c>strptime</c> with the C locale's names. Besides Python's own
/// codes, <c>strftime</c> takes the glibc ones dbt projects written on Linux use (<c>%-d</c>
/// without padding, <c>%e</c>, <c>%F</c>, <c>%T</c>, <c>%G</c>/<c>%V</c>/<c>%u</c>);
/// <c>strptime</c> reads Python's codes only, as Python does.
/// </summary>
internal static class TemplateStrftime
{
    private const string FormatCodes = "%a %A %w %d %b %B %m %y %Y %H %I %p %M %S %f %z %Z %j %U %W %c %x %X %G %u %V %e %F %T %D %R %h %n %t %%, and %-d (no padding) for the numbers";
    private const string ParseCodes = "%a %A %d %b %B %m %y %Y %H %I %p %M %S %f %z %Z %j %%";
    private static readonly DateTimeFormatInfo Names = CultureInfo.InvariantCulture.DateTimeFormat;

    /// <summary><c>strftime(format)</c> of <paramref name="wall"/>; <paramref name="zone"/> gives <c>%z</c> and <c>%Z</c> of an aware value.</summary>
    public static string Format(DateTime wall, (TimeSpan Offset, string Name)? zone, string format, TemplateCall call)
    {
        var text = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                text.Append(format[i]);
                continue;
            }

            var pad = format[i + 1] != '-';
            var code = format[pad ? i + 1 : Math.Min(i + 2, format.Length - 1)];
            i += pad ? 1 : 2;
            string Number(int value, int width) => pad ? value.ToString("D" + width, CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
            var dayOfYear = wall.DayOfYear - 1;
            var weekday = (int)wall.DayOfWeek;
            text.Append(code switch
            {
                'a' => Names.AbbreviatedDayNames[weekday],
                'A' => Names.DayNames[weekday],
                'w' => Number(weekday, 1),
                'd' => Number(wall.Day, 2),
                'e' => wall.Day.ToString(CultureInfo.InvariantCulture).PadLeft(pad ? 2 : 1),
                'b' or 'h' => Names.AbbreviatedMonthNames[wall.Month - 1],
                'B' => Names.MonthNames[wall.Month - 1],
                'm' => Number(wall.Month, 2),
                'y' => Number(wall.Year % 100, 2),
                'Y' => Number(wall.Year, 4),
                'H' => Number(wall.Hour, 2),
                'I' => Number(wall.Hour % 12 == 0 ? 12 : wall.Hour % 12, 2),
                'p' => wall.Hour < 12 ? "AM" : "PM",
                'M' => Number(wall.Minute, 2),
                'S' => Number(wall.Second, 2),
                'f' => (wall.Ticks % TimeSpan.TicksPerSecond / 10).ToString("D6", CultureInfo.InvariantCulture),
                'z' => zone is { } z ? TemplateDateTime.Offset(z.Offset, "") : "",
                'Z' => zone?.Name ?? "",
                'j' => Number(wall.DayOfYear, 3),
                'U' => Number((dayOfYear + 7 - weekday) / 7, 2),
                'W' => Number((dayOfYear + 7 - TemplateDate.Weekday(wall.DayOfWeek)) / 7, 2),
                'c' => string.Create(CultureInfo.InvariantCulture, $"{Names.AbbreviatedDayNames[weekday]} {Names.AbbreviatedMonthNames[wall.Month - 1]} {wall.Day,2} {wall:HH:mm:ss} {wall.Year}"),
                'x' or 'D' => wall.ToString("MM/dd/yy", CultureInfo.InvariantCulture),
                'X' or 'T' => wall.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                'R' => wall.ToString("HH:mm", CultureInfo.InvariantCulture),
                'F' => wall.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                'G' => Number(ISOWeek.GetYear(wall), 4),
                'V' => Number(ISOWeek.GetWeekOfYear(wall), 2),
                'u' => Number(TemplateDate.Weekday(wall.DayOfWeek) + 1, 1),
                'n' => "\n",
                't' => "\t",
                '%' => "%",
                _ => throw call.Error($"strftime(): unsupported directive '%{code}'; the directives are {FormatCodes}"),
            });
        }

        return text.ToString();
    }

    /// <summary>Python's <c>strptime(text, format)</c>: the wall-clock time and, with <c>%z</c>, the offset.</summary>
    public static (DateTime Wall, TimeSpan? Offset) Parse(string text, string format, TemplateCall call)
    {
        var pattern = new StringBuilder(@"\A");
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (char.IsWhiteSpace(c))
            {
                // As Python: whitespace in the format matches any run of whitespace.
                while (i + 1 < format.Length && char.IsWhiteSpace(format[i + 1]))
                {
                    i++;
                }

                pattern.Append(@"\s+");
            }
            else if (c != '%')
            {
                pattern.Append(Regex.Escape(c.ToString()));
            }
            else if (++i < format.Length)
            {
                pattern.Append(Directive(format[i]) ?? throw call.Error($"strptime(): unsupported directive '%{format[i]}'; the directives are {ParseCodes}"));
            }
            else
            {
                throw call.Error("strptime(): the format ends with a lone '%'");
            }
        }

        var match = Regex.Match(text, pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            throw call.Error($"strptime(): time data {TemplateValues.Repr(text)} does not match format {TemplateValues.Repr(format)}");
        }

        if (match.Length != text.Length)
        {
            throw call.Error($"strptime(): unconverted data remains: {text[match.Length..]}");
        }

        return Build(match, call);
    }

    private static string? Directive(char code) => code switch
    {
        'd' => @"(?<d>3[01]|[12]\d|0[1-9]|[1-9]| [1-9])",
        'm' => @"(?<m>1[0-2]|0[1-9]|[1-9])",
        'Y' => @"(?<Y>\d\d\d\d)",
        'y' => @"(?<y>\d\d)",
        'H' => @"(?<H>2[0-3]|[0-1]\d|\d)",
        'I' => @"(?<I>1[0-2]|0[1-9]|[1-9])",
        'M' => @"(?<M>[0-5]\d|\d)",
        'S' => @"(?<S>6[0-1]|[0-5]\d|\d)",
        'f' => @"(?<f>[0-9]{1,6})",
        'p' => "(?<p>am|pm)",
        'j' => @"(?<j>36[0-6]|3[0-5]\d|[12]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9])",
        'z' => @"(?<z>[+-]\d\d:?[0-5]\d(?::?[0-5]\d(?:\.\d{1,6})?)?|Z)",
        'Z' => "(?<Z>utc|gmt)",
        'b' => $"(?<b>{string.Join('|', Names.AbbreviatedMonthNames.Where(n => n.Length > 0))})",
        'B' => $"(?<B>{string.Join('|', Names.MonthNames.Where(n => n.Length > 0))})",
        'a' => $"(?<a>{string.Join('|', Names.AbbreviatedDayNames)})",
        'A' => $"(?<A>{string.Join('|', Names.DayNames)})",
        '%' => "%",
        _ => null,
    };

    private static (DateTime, TimeSpan?) Build(Match match, TemplateCall call)
    {
        int? Group(string name) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value.Trim(), CultureInfo.InvariantCulture) : null;
        int MonthOf(string name, string[] names) => Array.FindIndex(names, n => n.Equals(match.Groups[name].Value, StringComparison.OrdinalIgnoreCase)) + 1;

        var year = Group("Y") ?? (Group("y") is { } shortYear ? (shortYear < 69 ? 2000 : 1900) + shortYear : 1900);
        var month = Group("m") ?? (match.Groups["B"].Success ? MonthOf("B", Names.MonthNames) : match.Groups["b"].Success ? MonthOf("b", Names.AbbreviatedMonthNames) : (int?)null);
        var day = Group("d");
        var hour = Group("H") ?? 0;
        if (Group("I") is { } twelve)
        {
            var pm = match.Groups["p"].Value.Equals("pm", StringComparison.OrdinalIgnoreCase);
            hour = (twelve % 12) + (pm ? 12 : 0);
        }

        var micro = match.Groups["f"].Success ? int.Parse(match.Groups["f"].Value.PadRight(6, '0'), CultureInfo.InvariantCulture) : 0;
        var date = Group("j") is { } dayOfYear && month is null && day is null
            ? new DateOnly(year, 1, 1).AddDays(dayOfYear - 1)
            : TemplateDate.Day(call, year, month ?? 1, day ?? 1);
        var time = TemplateDateModule.TimeOfDay(call, hour, Group("M") ?? 0, Group("S") ?? 0, micro);
        return (date.ToDateTime(TimeOnly.MinValue) + time, match.Groups["z"].Success ? Offset(match.Groups["z"].Value) : null);
    }

    private static TimeSpan Offset(string text)
    {
        if (text is "Z" or "z")
        {
            return TimeSpan.Zero;
        }

        var digits = text[1..].Replace(":", "", StringComparison.Ordinal);
        var seconds = digits.Length >= 6 ? double.Parse(digits[4..], CultureInfo.InvariantCulture) : 0;
        var size = new TimeSpan(int.Parse(digits[..2], CultureInfo.InvariantCulture), int.Parse(digits[2..4], CultureInfo.InvariantCulture), 0) + TimeSpan.FromSeconds(seconds);
        return text[0] == '-' ? -size : size;
    }
}
