using System.Text;
using System.Text.Json;

namespace Sluice.Bench;

/// <summary>
/// One panel's API request as GET /api/v1/dashboards/{name} spells it out: a path, its fixed
/// parameters, and the names of the parameters that take the range's first and last day.
/// </summary>
internal sealed record PanelRequest(string Id, string Type, string Kind, string Path, IReadOnlyList<KeyValuePair<string, string>> Parameters, string? FromParameter, string? ToParameter, int? RangeDays)
{
    // Trends come a thousand periods a page at most, as the page asks for them (the definition
    // usually says so already); no panel of a 30-day range has more than one page.
    private const string TrendPageSize = "1000";

    /// <summary>The panel's URL (path and query) for the dashboard's range <paramref name="range"/>.</summary>
    public string Url(DayRange range)
    {
        var own = RangeDays is { } days ? range.Last(days) : range;
        var query = new List<KeyValuePair<string, string>>(Parameters);
        if (FromParameter is not null && ToParameter is not null)
        {
            query.Add(new(FromParameter, own.FromText));
            query.Add(new(ToParameter, own.ToText));
        }

        if (Kind == "trend" && !query.Any(p => p.Key == "page_size"))
        {
            query.Add(new("page_size", TrendPageSize));
        }

        var text = new StringBuilder(Path);
        for (var i = 0; i < query.Count; i++)
        {
            text.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(query[i].Key)).Append('=').Append(Uri.EscapeDataString(query[i].Value));
        }

        return text.ToString();
    }

    /// <summary>The panels that query the API (markdown panels do not), from the dashboard's JSON.</summary>
    public static IReadOnlyList<PanelRequest> Read(JsonElement dashboard)
    {
        var requests = new List<PanelRequest>();
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            if (panel.GetProperty("query") is not { ValueKind: JsonValueKind.Object } query)
            {
                continue;
            }

            var parameters = new List<KeyValuePair<string, string>>();
            foreach (var parameter in query.GetProperty("parameters").EnumerateObject())
            {
                parameters.AddRange(parameter.Value.EnumerateArray().Select(v => new KeyValuePair<string, string>(parameter.Name, v.GetString() ?? string.Empty)));
            }

            var range = query.GetProperty("range");
            var hasRange = range.ValueKind == JsonValueKind.Object;
            requests.Add(new PanelRequest(
                panel.GetProperty("id").GetString()!,
                panel.GetProperty("type").GetString()!,
                query.GetProperty("kind").GetString()!,
                query.GetProperty("path").GetString()!,
                parameters,
                hasRange ? range.GetProperty("from").GetString() : null,
                hasRange ? range.GetProperty("to").GetString() : null,
                panel.TryGetProperty("range_days", out var days) && days.ValueKind == JsonValueKind.Number ? days.GetInt32() : null));
        }

        return requests;
    }
}
