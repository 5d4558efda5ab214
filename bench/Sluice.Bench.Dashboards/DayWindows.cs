namespace Sluice.Bench;

/// <summary>A range of whole days, first and last inclusive, as the API's <c>from</c> and <c>to</c> take them.</summary>
internal readonly record struct DayRange(DateOnly From, DateOnly To)
{
    public string FromText => From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public string ToText => To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The last <paramref name="days"/> days of this range (all of it when shorter).</summary>
    public DayRange Last(int days) => new(days >= Length ? From : To.AddDays(1 - days), To);

    public int Length => To.DayNumber - From.DayNumber + 1;

    public override string ToString() => $"{FromText}..{ToText}";
}

/// <summary>
/// Ranges never asked for before in this run: each is the dashboard's default length, ending one
/// day earlier than the previous one. Every request of a load over a new range misses the
/// server's answer cache (the key holds from and to), so a "cold" load makes the server compute
/// every answer without restarting it; the shift stays small, so the ranges hold about as much
/// data as each other.
/// </summary>
internal sealed class DayWindows(DateOnly lastDay, int length)
{
    private int _next;

    /// <summary>How many ranges have been handed out.</summary>
    public int Used => _next;

    public DayRange Next()
    {
        var to = lastDay.AddDays(-_next++);
        return new DayRange(to.AddDays(1 - length), to);
    }
}
