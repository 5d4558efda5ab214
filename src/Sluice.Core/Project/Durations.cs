using System.Globalization;
using System.Text.RegularExpressions;

namespace Sluice.Core.Project;

/// <summary>
/// Durations as configuration and options write them: <c>90s</c>, <c>10m</c>, <c>2h</c>,
/// <c>7d</c>, <c>250ms</c>, also combined (<c>1h30m</c>).
/// </summary>
public static partial class Durations
{
    /// <summary>The duration <paramref name="text"/> writes, or null when it is not one.</summary>
    public static TimeSpan? TryParse(string text)
    {
        text = text.Trim();
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Capture capture in match.Groups["part"].Captures)
        {
            var unit = capture.Value.TrimStart("0123456789".ToCharArray());
            var value = long.Parse(capture.Value[..^unit.Length], CultureInfo.InvariantCulture);
            total += unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromDays(value),
            };
        }

        return total;
    }

    [GeneratedRegex("^(?<part>[0-9]+(ms|s|m|h|d))+$")]
    private static partial Regex Pattern();
}
