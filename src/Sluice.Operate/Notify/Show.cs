using System.Globalization;

namespace Sluice.Operate.Notify;

/// <summary>Durations as messages write them, the way sluice.yml writes them: 5s, 1m30s, 250ms.</summary>
internal static class Show
{
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return $"{Math.Round(duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}ms";
        }

        var parts = new List<string>();
        void Add(int value, string unit)
        {
            if (value > 0)
            {
                parts.Add(value.ToString(CultureInfo.InvariantCulture) + unit);
            }
        }

        Add((int)duration.TotalDays, "d");
        Add(duration.Hours, "h");
        Add(duration.Minutes, "m");
        Add(duration.Seconds, "s");
        Add(duration.Milliseconds, "ms");
        return string.Concat(parts);
    }
}
