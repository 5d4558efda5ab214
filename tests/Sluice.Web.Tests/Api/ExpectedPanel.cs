using System.Text.Json;
using Sluice.Web.Tests.Hook;

namespace Sluice.Web.Tests.Api;

/// <summary>
/// What a panel must show, from the API's answer to its query, fetched by the test itself: a
/// chart's points, a number and its comparison, a table's rows.
/// </summary>
public sealed class ExpectedPanel(DashboardApi api, DayRange range, IReadOnlyDictionary<string, string> filters)
{
    /// <summary>A chart's points (line, area, bar, heatmap: per group and period; pie: per slice; funnel: per step).</summary>
    public async Task<IReadOnlyList<ShownPoint>> PointsAsync(PanelDefinition panel)
    {
        if (panel.Type == "funnel")
        {
            var funnel = await api.GetAsync(DashboardApi.Url(panel, range, filters));
            return [.. funnel.GetProperty("steps").EnumerateArray().Select(s => new ShownPoint(string.Empty, PanelView.Cell(s.GetProperty("step")), s.GetProperty("entities").GetDouble()))];
        }

        var overrides = panel.Type == "pie" ? new[] { ("granularity", "total") } : [];
        var (_, periods) = await api.TrendAsync(DashboardApi.Url(panel, range, filters, overrides));
        return panel.Type == "pie"
            ? [.. periods.Select(p => new ShownPoint(string.Empty, Group(p), PanelView.NumberOf(p.GetProperty("value"))))]
            : [.. periods.Select(p => new ShownPoint(Group(p), PanelView.Cell(p.GetProperty("period")), PanelView.NumberOf(p.GetProperty("value"))))];
    }

    /// <summary>Whether the panel's answer is split by groups (when not, series' names are not compared).</summary>
    public static bool Grouped(PanelDefinition panel) => panel.Query?.Parameters.Any(p => p.Key == "group_by" && p.Value.Length > 0) == true || panel.Type == "heatmap";

    /// <summary>A number panel's figure over the range, and over the range before it.</summary>
    public async Task<(double? Value, double? Previous)> NumberAsync(PanelDefinition panel)
    {
        async Task<double?> TotalAsync(DayRange over)
        {
            var (_, periods) = await api.TrendAsync(DashboardApi.Url(panel, over, filters, ("granularity", "total")));
            return periods.Count == 0 ? null : PanelView.NumberOf(Assert.Single(periods).GetProperty("value"));
        }

        return (await TotalAsync(range), panel.Option("compare") ? await TotalAsync(range.Previous) : null);
    }

    /// <summary>A table over a metric: every row (period, each group, value), in no particular order.</summary>
    public async Task<List<IReadOnlyList<string>>> MetricRowsAsync(PanelDefinition panel)
    {
        var (_, periods) = await api.TrendAsync(DashboardApi.Url(panel, range, filters));
        return [.. periods.Select(p =>
        {
            var row = new List<string> { PanelView.Cell(p.GetProperty("period")) };
            if (p.TryGetProperty("group", out var group) && group.ValueKind == JsonValueKind.Object)
            {
                row.AddRange(group.EnumerateObject().Select(g => PanelView.Cell(g.Value)));
            }

            row.Add(PanelView.Cell(p.GetProperty("value")));
            return (IReadOnlyList<string>)row;
        })];
    }

    /// <summary>A table over a model: one page of rows as the server sorts them, and the columns shown.</summary>
    public async Task<(IReadOnlyList<string> Columns, List<IReadOnlyList<string>> Rows, long Total)> ModelRowsAsync(PanelDefinition panel, string? orderBy, int offset)
    {
        var pageSize = panel.OptionNumber("page_size") ?? 10;
        var overrides = new List<(string, string)> { ("limit", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        if (orderBy is not null)
        {
            overrides.Add(("order_by", orderBy));
        }

        var answer = await api.GetAsync(DashboardApi.Url(panel, range, filters, [.. overrides]));
        var rows = answer.GetProperty("rows").EnumerateArray().ToList();
        IReadOnlyList<string> columns = panel.Options.ValueKind == JsonValueKind.Object && panel.Options.TryGetProperty("columns", out var given) && given.ValueKind == JsonValueKind.Array
            ? [.. given.EnumerateArray().Select(c => c.GetString()!)]
            : rows.Count > 0 ? [.. rows[0].EnumerateObject().Select(p => p.Name)] : [];
        return (columns, [.. rows.Select(r => (IReadOnlyList<string>)[.. columns.Select(c => PanelView.Cell(r.GetProperty(c)))])], answer.GetProperty("total").GetInt64());
    }

    /// <summary>A benchmark's answer.</summary>
    public Task<JsonElement> BenchmarkAsync(PanelDefinition panel) => api.GetAsync(DashboardApi.Url(panel, range, filters));

    private static string Group(JsonElement period) =>
        period.TryGetProperty("group", out var group) && group.ValueKind == JsonValueKind.Object
            ? string.Join(", ", group.EnumerateObject().Select(g => PanelView.Cell(g.Value)))
            : string.Empty;
}
