using Sluice.Core.Project;

namespace Sluice.Dashboards.Tests;

public sealed class DashboardErrorTests : IDisposable
{
    private readonly DashboardFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("{title: R, type: line, metric: revenu, x: 0, y: 0, w: 6, h: 4}", 2, "there is no metric 'revenu'; the metrics of metrics.yml are revenue, orders, latency")]
    [InlineData("{title: R, type: sparkles, metric: revenue, x: 0, y: 0, w: 6, h: 4}", 2, "unknown panel type 'sparkles'; the types are line, area, bar, pie, number, table, funnel, heatmap, benchmark, markdown")]
    [InlineData("{title: R, type: line, metric: revenue, x: 8, y: 0, w: 6, h: 4}", 2, "ends past the grid's 12 columns (x 8 + w 6 = 14)")]
    [InlineData("{title: R, type: line, metric: revenue, x: 0, w: 6, h: 4}", 2, "needs its place on the 12-column grid")]
    [InlineData("{title: R, type: line, metric: revenue, group_by: [city], x: 0, y: 0, w: 6, h: 4}", 2, "'city' is not a dimension of metric 'revenue'; its dimensions are country, plan")]
    [InlineData("{title: R, type: pie, metric: revenue, x: 0, y: 0, w: 6, h: 4}", 2, "a pie panel needs group_by with exactly one of metric 'revenue''s dimensions")]
    [InlineData("{title: R, type: line, model: daily, x: 0, y: 0, w: 6, h: 4}", 2, "'model' does not apply to a line panel")]
    [InlineData("{title: R, type: line, metric: revenue, funnel: signup, x: 0, y: 0, w: 6, h: 4}", 2, "'funnel' does not apply to a line panel")]
    [InlineData("{title: R, type: table, metric: revenue, model: daily, x: 0, y: 0, w: 6, h: 4}", 2, "a table panel reads exactly one of model or metric")]
    [InlineData("{title: R, type: table, model: hourly, x: 0, y: 0, w: 6, h: 4}", 2, "model 'hourly' is not exposed; exposed models: daily")]
    [InlineData("{title: R, type: table, model: daily, filters: {d: x}, x: 0, y: 0, w: 6, h: 4}", 2, "'d' is not a dimension of model 'daily' (its filters that are not ranges)")]
    [InlineData("{title: R, type: line, metric: revenue, thresholds: [{value: 3, color: mauve}], x: 0, y: 0, w: 6, h: 4}", 2, "color must be #rrggbb or one of red")]
    [InlineData("{title: R, type: line, metric: revenue, granularity: hour, x: 0, y: 0, w: 6, h: 4}", 2, "granularity must be one of day, week, month, total, not 'hour'")]
    [InlineData("{title: R, type: benchmark, benchmark: revenue_peers, x: 0, y: 0, w: 6, h: 4}", 2, "a benchmark panel needs entity")]
    [InlineData("{title: R, type: benchmark, benchmark: revenue_peers, entity: 1, by: size, x: 0, y: 0, w: 6, h: 4}", 2, "by (benchmark 'revenue_peers''s peer groups) must be one of plan, not 'size'")]
    [InlineData("{type: line, metric: revenue, x: 0, y: 0, w: 6, h: 4}", 2, "a panel needs a title")]
    [InlineData("{title: R, type: line, metric: revenue, x: 0, y: 0, w: 6, h: 4, colour: red}", 2, "unknown key 'colour' in a panel")]
    public void A_malformed_panel_is_an_error_at_its_line(string panel, int line, string message)
    {
        var path = _files.Write("bad.yml", $"panels:\n  - {panel}\n");

        var error = Assert.Throws<ConfigurationException>(_files.Read);

        Assert.StartsWith($"{path}:{line}:", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Overlapping_panels_name_each_other()
    {
        var path = _files.Write("bad.yml", """
            panels:
              - {title: A, type: line, metric: revenue, x: 0, y: 0, w: 6, h: 4}
              - {title: B, type: line, metric: revenue, x: 5, y: 3, w: 6, h: 4}
            """);

        var error = Assert.Throws<ConfigurationException>(_files.Read);

        Assert.Equal($"{path}:3:5: panel 'b' (x 5, y 3, w 6, h 4) overlaps panel 'a' on line 2 (x 0, y 0, w 6, h 4); move one of them.", error.Message);
    }

    [Theory]
    [InlineData("range: 2w", 1, "range must be a number of days from 1d to 3660d")]
    [InlineData("refresh: 5s", 1, "refresh must be at least 10s")]
    [InlineData("filters: [city]", 1, "no panel can be filtered by 'city'")]
    [InlineData("filters: [country, country]", 1, "the filter 'country' is listed twice")]
    [InlineData("layout: grid", 1, "unknown key 'layout'")]
    public void A_malformed_dashboard_setting_is_an_error_at_its_line(string setting, int line, string message)
    {
        var path = _files.Write("bad.yml", $"{setting}\npanels: [{{title: R, type: line, metric: revenue, x: 0, y: 0, w: 6, h: 4}}]\n");

        var error = Assert.Throws<ConfigurationException>(_files.Read);

        Assert.StartsWith($"{path}:{line}:", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Two_panels_with_one_id_are_an_error()
    {
        var path = _files.Write("bad.yml", """
            panels:
              - {title: Revenue, type: line, metric: revenue, x: 0, y: 0, w: 6, h: 4}
              - {title: Revenue, type: bar, metric: revenue, x: 6, y: 0, w: 6, h: 4}
            """);

        var error = Assert.Throws<ConfigurationException>(_files.Read);

        Assert.Equal($"{path}:3:5: two panels have the id 'revenue' (also line 2); give one of them its own `id:`.", error.Message);
    }

    [Fact]
    public void A_dashboard_without_panels_is_an_error()
    {
        var path = _files.Write("empty.yml", "title: Nothing\n");

        var error = Assert.Throws<ConfigurationException>(_files.Read);

        Assert.StartsWith($"{path}:1:1: a dashboard needs panels", error.Message);
    }

    [Fact]
    public void A_file_name_that_cannot_be_a_path_is_an_error()
    {
        var path = _files.Write("Sales Board.yml", "panels: [{title: R, type: line, metric: revenue, x: 0, y: 0, w: 6, h: 4}]");

        var error = Assert.Throws<ConfigurationException>(_files.Read);

        Assert.Equal($"{path}:1:1: the dashboard name 'Sales Board' (the file's name) may hold only lower-case letters, digits, '-' and '_'; rename the file.", error.Message);
    }
}
