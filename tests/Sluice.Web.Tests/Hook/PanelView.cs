using System.Globalization;
using System.Text.Json;

namespace Sluice.Web.Tests.Hook;

/// <summary>One point of a chart as the page shows it: its series, its x (a period, slice or step) and its y.</summary>
public sealed record ShownPoint(string Series, string X, double? Y);

/// <summary>What one panel shows, from <c>window.__sluice.panels[id]</c>.</summary>
public sealed class PanelView(string id, JsonElement json)
{
    public string Id { get; } = id;

    public JsonElement Json { get; } = json;

    public string State => Json.GetProperty("state").GetString()!;

    public string? Error => Json.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null;

    public double? Value => Number("value");

    public double? Previous => Number("previous");

    /// <summary>
    /// Every point of every series. A point of three values ([x, y, value], a heatmap's cell)
    /// reads as series y, x and value, so that both shapes of a heatmap compare alike.
    /// </summary>
    public IReadOnlyList<ShownPoint> Points()
    {
        var points = new List<ShownPoint>();
        if (!Json.TryGetProperty("series", out var series) || series.ValueKind != JsonValueKind.Array)
        {
            return points;
        }

        foreach (var one in series.EnumerateArray())
        {
            var name = one.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : string.Empty;
            foreach (var point in one.GetProperty("data").EnumerateArray())
            {
                var values = point.EnumerateArray().ToList();
                points.Add(values.Count >= 3
                    ? new ShownPoint(Cell(values[1]), Cell(values[0]), NumberOf(values[2]))
                    : new ShownPoint(name, Cell(values[0]), NumberOf(values[1])));
            }
        }

        return points;
    }

    /// <summary>The table's columns as shown.</summary>
    public IReadOnlyList<string> Columns => Json.TryGetProperty("columns", out var columns) && columns.ValueKind == JsonValueKind.Array
        ? [.. columns.EnumerateArray().Select(c => c.GetString()!)]
        : [];

    /// <summary>The table's rows on the current page, each cell as text (numbers in invariant form).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => Json.TryGetProperty("rows", out var rows) && rows.ValueKind == JsonValueKind.Array
        ? [.. rows.EnumerateArray().Select(r => (IReadOnlyList<string>)[.. r.EnumerateArray().Select(Cell)])]
        : [];

    /// <summary>A value as text: strings as they are, numbers in invariant form, null as empty.</summary>
    public static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    public static double? NumberOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private double? Number(string name) => Json.TryGetProperty(name, out var value) ? NumberOf(value) : null;

    public override string ToString() => $"{Id}: {Json.GetRawText()}";
}
