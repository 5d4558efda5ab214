using System.Globalization;
using System.Text.RegularExpressions;

namespace Sluice.Core.Sync;

/// <summary>
/// How far behind its watermark an incremental sync starts reading again, so that a row whose
/// transaction committed after the last sync but carries an older cursor value is not missed:
/// a duration for time cursors (<c>10m</c>), a number for integer cursors (<c>1000</c>).
/// </summary>
public sealed partial record Lookback
{
    private Lookback(TimeSpan? duration, long? amount)
    {
        Duration = duration;
        Amount = amount;
    }

    /// <summary>No lookback: read strictly after the watermark.</summary>
    public static Lookback None { get; } = new(null, null);

    /// <summary>The window for date and timestamp cursors.</summary>
    public TimeSpan? Duration { get; }

    /// <summary>The window for integer and numeric cursors.</summary>
    public long? Amount { get; }

    /// <summary>True when there is no window.</summary>
    public bool IsNone => Duration is null && Amount is null;

    /// <summary>A duration window.</summary>
    public static Lookback Of(TimeSpan duration) => new(duration, null);

    /// <summary>A numeric window.</summary>
    public static Lookback Of(long amount) => new(null, amount);

    /// <summary>
    /// Parses <c>90s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c> (also combined, <c>1h30m</c>) or a
    /// whole number; returns null when the text is neither.
    /// </summary>
    public static Lookback? TryParse(string text)
    {
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return amount == 0 ? None : Of(amount);
        }

        var match = DurationPattern().Match(text);
        if (!match.Success || text.Length == 0)
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

        return total == TimeSpan.Zero ? None : Of(total);
    }

    /// <inheritdoc />
    public override string ToString() => Duration?.ToString("c", CultureInfo.InvariantCulture) ?? Amount?.ToString(CultureInfo.InvariantCulture) ?? "none";

    [GeneratedRegex("^(?<part>[0-9]+(ms|s|m|h|d))+$")]
    private static partial Regex DurationPattern();
}
