using System.Globalization;
using System.Text.Json;
using Sluice.Web.Tests.Hook;

namespace Sluice.Web.Tests.Api;

/// <summary>
/// What a panel must show, from the API's answer to its query, fetched by the test itself: a
/// chart's points, a number and its comparison, a table's rows; over the dashboard's
/// <c>range</c> (a panel with its own number of days ends with it) and <c>filters</c>.
/// </summary>
public sealed class ExpectedPanel(DashboardApi api, DayRange range, IReadOnlyDictionary<string, string> filters)
{
    /// <summary>A chart's points (line, area, bar, heatmap: per group and period; pie: per slice; funnel: per step).</summary>
    public async Task<IReadOnlyList<ShownPoint>> PointsAsync(PanelDefinition panel)
    {
        if (panel.Type == "funnel")
        {
            var funnel = await api.GetAsync(DashboardApi.Url(panel, panel.RangeWithin(range), filters));
            return [.. funnel.GetProperty("steps").EnumerateArray().Select(s => new ShownPoint(string.Empty, PanelView.Cell(s.GetProperty("step")), s.GetProperty("entities").GetDouble()))];
        }

        var periods = await TrendAsync(panel, panel.RangeWithin(range), panel.Type == "pie" ? "total" : null);
        return panel.Type == "pie"
            ? [.. periods.Select(p => new ShownPoint(string.Empty, Group(p), PanelView.NumberOf(p.GetProperty("value"))))]
            : [.. periods.Select(p => new ShownPoint(Group(p), PanelView.Cell(p.GetProperty("period")), PanelView.NumberOf(p.GetProperty("value"))))];
    }

    /// <summary>Whether the panel's answer is split by groups (when not, series' names are not compared).</summary>
    public static bool Grouped(PanelDefinition panel) => panel.Query?.Parameters.Any(p => p.Key == "group_by" && p.Value.Length > 0) == true;

    /// <summary>A number panel's figure over its range, over the range before it, and its daily sparkline's points.</summary>
    public async Task<(double? Value, double? Previous, IReadOnlyList<ShownPoint> Daily)> NumberAsync(PanelDefinition panel)
    {
        var over = panel.RangeWithin(range);
        async Task<double?> TotalAsync(DayRange days)
        {
            var periods = await TrendAsync(panel, days, "total");
            return periods.Count == 0 ? null : PanelView.NumberOf(Assert.Single(periods).GetProperty("value"));
        }

        IReadOnlyList<ShownPoint> daily = panel.Option("sparkline")
            ? [.. (await TrendAsync(panel, over, "day")).Select(p => new ShownPoint(string.Empty, PanelView.Cell(p.GetProperty("period")), PanelView.NumberOf(p.GetProperty("value"))))]
            : [];
        return (await TotalAsync(over), panel.Option("compare") ? await TotalAsync(over.Previous) : null, daily);
    }

    /// <summary>A table over a metric: every row, as <paramref name="columns"/> (period, groups, value) name them, in no particular order.</summary>
    public async Task<List<IReadOnlyList<string>>> MetricRowsAsync(PanelDefinition panel, IReadOnlyList<string> columns)
    {
        var periods = await TrendAsync(panel, panel.RangeWithin(range), null);
        return [.. periods.Select(p => (IReadOnlyList<string>)[.. columns.Select(c =>
            c == "period" || c == "value" ? PanelView.Cell(p.GetProperty(c))
            : p.TryGetProperty("group", out var group) && group.ValueKind == JsonValueKind.Object && group.TryGetProperty(c, out var value) ? PanelView.Cell(value)
            : throw new InvalidOperationException($"{panel.Id}: the page shows a column '{c}' that the API's answer has not"))])];
    }

    /// <summary>A table over a model: one page of rows as the server sorts them, and the columns shown.</summary>
    public async Task<(IReadOnlyList<string> Columns, List<IReadOnlyList<string>> Rows, long Total)> ModelRowsAsync(PanelDefinition panel, string? orderBy, int offset)
    {
        var pageSize = panel.OptionNumber("page_size") ?? 10;
        var overrides = new List<(string, string)> { ("limit", Text(pageSize)), ("offset", Text(offset)) };
        if (orderBy is not null)
        {
            overrides.Add(("order_by", orderBy));
        }

        var answer = await api.GetAsync(DashboardApi.Url(panel, panel.RangeWithin(range), filters, [.. overrides]));
        var rows = answer.GetProperty("rows").EnumerateArray().ToList();
        IReadOnlyList<string> columns = panel.Options.ValueKind == JsonValueKind.Object && panel.Options.TryGetProperty("columns", out var given) && given.ValueKind == JsonValueKind.Array
            ? [.. given.EnumerateArray().Select(c => c.GetString()!)]
            : rows.Count > 0 ? [.. rows[0].EnumerateObject().Select(p => p.Name)] : [];
        return (columns, [.. rows.Select(r => (IReadOnlyList<string>)[.. columns.Select(c => PanelView.Cell(r.GetProperty(c)))])], answer.GetProperty("total").GetInt64());
    }

    /// <summary>A benchmark's answer.</summary>
    public Task<JsonElement> BenchmarkAsync(PanelDefinition panel) => api.GetAsync(DashboardApi.Url(panel, panel.RangeWithin(range), filters));

    /// <summary>Every period of the panel's trend over <paramref name="days"/>, at <paramref name="granularity"/> when given.</summary>
    private Task<List<JsonElement>> TrendAsync(PanelDefinition panel, DayRange days, string? granularity) =>
        api.TrendAsync(page =>
        {
            (string, string)[] paging = [("page_size", "1000"), ("page", Text(page))];
            return DashboardApi.Url(panel, days, filters, granularity is null ? paging : [.. paging, ("granularity", granularity)]);
        });

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);

    private static string Group(JsonElement period) =>
        period.TryGetProperty("group", out var group) && group.ValueKind == JsonValueKind.Object
            ? string.Join(", ", group.EnumerateObject().Select(g => PanelView.Cell(g.Value)))
            : string.Empty;
}
