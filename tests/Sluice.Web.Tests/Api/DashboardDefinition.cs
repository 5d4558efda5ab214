using System.Text.Json;

namespace Sluice.Web.Tests.Api;

/// <summary>A dashboard as GET /api/v1/dashboards/{name} describes it, the parts the tests use.</summary>
public sealed record DashboardDefinition(string Name, string Title, int RangeDays, IReadOnlyList<string> Filters, IReadOnlyList<PanelDefinition> Panels)
{
    public static DashboardDefinition Read(JsonElement json) => new(
        json.GetProperty("name").GetString()!,
        json.GetProperty("title").GetString()!,
        json.GetProperty("range_days").GetInt32(),
        [.. json.GetProperty("filters").EnumerateArray().Select(f => f.GetProperty("name").GetString()!)],
        [.. json.GetProperty("panels").EnumerateArray().Select(PanelDefinition.Read)]);

    public PanelDefinition this[string id] => Panels.SingleOrDefault(p => p.Id == id)
        ?? throw new KeyNotFoundException($"dashboard {Name} has no panel '{id}'; it has {string.Join(", ", Panels.Select(p => p.Id))}");

    /// <summary>The panel of the given type (the first, when there are several).</summary>
    public PanelDefinition OfType(string type, Func<PanelDefinition, bool>? where = null) =>
        Panels.FirstOrDefault(p => p.Type == type && (where is null || where(p)))
        ?? throw new KeyNotFoundException($"dashboard {Name} has no {type} panel");
}

/// <summary>
/// One panel's definition: its type, query and options; <c>RangeDays</c> is the days the panel
/// always shows, ending at the dashboard range's last day, or null for the dashboard's range.
/// </summary>
public sealed record PanelDefinition(string Id, string Title, string Type, PanelQuery? Query, IReadOnlyList<string> Filters, int? RangeDays, JsonElement Options, JsonElement Thresholds, string? Text)
{
    public static PanelDefinition Read(JsonElement json) => new(
        json.GetProperty("id").GetString()!,
        json.GetProperty("title").GetString()!,
        json.GetProperty("type").GetString()!,
        json.TryGetProperty("query", out var query) && query.ValueKind == JsonValueKind.Object ? PanelQuery.Read(query) : null,
        json.TryGetProperty("filters", out var filters) && filters.ValueKind == JsonValueKind.Array ? [.. filters.EnumerateArray().Select(f => f.GetString()!)] : [],
        json.TryGetProperty("range_days", out var days) && days.ValueKind == JsonValueKind.Number ? days.GetInt32() : null,
        json.TryGetProperty("options", out var options) ? options.Clone() : default,
        json.TryGetProperty("thresholds", out var thresholds) ? thresholds.Clone() : default,
        json.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null);

    /// <summary>The range this panel shows when the dashboard shows <paramref name="range"/>.</summary>
    public DayRange RangeWithin(DayRange range) => RangeDays is { } days ? new DayRange(range.To.AddDays(1 - days), range.To) : range;

    public bool Option(string name) => Options.ValueKind == JsonValueKind.Object && Options.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    public string? OptionText(string name) => Options.ValueKind == JsonValueKind.Object && Options.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public int? OptionNumber(string name) => Options.ValueKind == JsonValueKind.Object && Options.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    public IReadOnlyList<double> ThresholdValues => Thresholds.ValueKind == JsonValueKind.Array
        ? [.. Thresholds.EnumerateArray().Select(t => t.GetProperty("value").GetDouble())]
        : [];
}

/// <summary>How a panel asks the API: the answer's shape, path, fixed parameters, and where the range and filters go.</summary>
public sealed record PanelQuery(string Kind, string Path, IReadOnlyList<KeyValuePair<string, string>> Parameters, string? From, string? To, string FilterParameter)
{
    public static PanelQuery Read(JsonElement json)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        if (json.TryGetProperty("parameters", out var given) && given.ValueKind == JsonValueKind.Object)
        {
            foreach (var parameter in given.EnumerateObject())
            {
                var values = parameter.Value.ValueKind == JsonValueKind.Array ? parameter.Value.EnumerateArray().Select(v => Hook.PanelView.Cell(v)) : [Hook.PanelView.Cell(parameter.Value)];
                parameters.AddRange(values.Select(v => KeyValuePair.Create(parameter.Name, v)));
            }
        }

        var range = json.TryGetProperty("range", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        return new PanelQuery(
            json.GetProperty("kind").GetString()!,
            json.GetProperty("path").GetString()!,
            parameters,
            range.ValueKind == JsonValueKind.Object ? range.GetProperty("from").GetString() : null,
            range.ValueKind == JsonValueKind.Object ? range.GetProperty("to").GetString() : null,
            json.TryGetProperty("filter_parameter", out var filter) && filter.ValueKind == JsonValueKind.String ? filter.GetString()! : "filter[{name}]");
    }

    /// <summary>The value of a fixed parameter, or null.</summary>
    public string? Parameter(string name) => Parameters.Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();
}
