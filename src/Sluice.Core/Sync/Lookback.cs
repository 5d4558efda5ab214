using System.Globalization;
using Sluice.Core.Project;

namespace Sluice.Core.Sync;

/// <summary>
/// How far behind its watermark an incremental sync starts reading again, so that a row whose
/// transaction committed after the last sync but carries an older cursor value is not missed:
/// a duration for time cursors (<c>10m</c>), a number for integer cursors (<c>1000</c>).
/// </summary>
public sealed record Lookback
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

        return Durations.TryParse(text) switch
        {
            null => null,
            { } duration when duration == TimeSpan.Zero => None,
            { } duration => Of(duration),
        };
    }

    /// <inheritdoc />
    public override string ToString() => Duration?.ToString("c", CultureInfo.InvariantCulture) ?? Amount?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
