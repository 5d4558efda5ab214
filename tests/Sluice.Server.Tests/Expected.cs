using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Server.Tests;

/// <summary>Statistics computed in the test, from the rows loaded, for comparison with the API's answers.</summary>
public static class Expected
{
    /// <summary>
    /// <paramref name="json"/> with every fractional number rounded to 12 significant digits:
    /// an answer computed twice agrees to that, though an engine that sums in parallel may add in
    /// another order and change the last bits.
    /// </summary>
    public static JsonNode? Rounded(JsonNode? json) => json switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Rounded(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Rounded)]),
        JsonValue v when v.TryGetValue<double>(out var d) && d != Math.Floor(d) =>
            JsonValue.Create(double.Parse(d.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)),
        _ => json?.DeepClone(),
    };

    public static DateOnly PeriodStart(DateTime time, string granularity, DateOnly rangeStart)
    {
        var day = DateOnly.FromDateTime(time);
        return granularity switch
        {
            "total" => rangeStart,
            "day" => day,
            "week" => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            "month" => new DateOnly(day.Year, day.Month, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(granularity)),
        };
    }

    public static bool InRange(DateTime time, DateOnly from, DateOnly to) =>
        time >= from.ToDateTime(TimeOnly.MinValue) && time < to.AddDays(1).ToDateTime(TimeOnly.MinValue);

    public static double? SampleStddev(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return null;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>The continuous percentile, as percentile_cont computes it.</summary>
    public static double Percentile(IEnumerable<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        var position = fraction * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }

    public static void Near(double expected, JsonElement actual, string what)
    {
        Assert.True(actual.ValueKind == JsonValueKind.Number, $"{what}: expected {expected}, got {actual}");
        var value = actual.GetDouble();
        Assert.True(Math.Abs(expected - value) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected}, got {value}");
    }

    public static void Near(double? expected, JsonElement actual, string what)
    {
        if (expected is null)
        {
            Assert.True(actual.ValueKind == JsonValueKind.Null, $"{what}: expected null, got {actual}");
        }
        else
        {
            Near(expected.Value, actual, what);
        }
    }
}
