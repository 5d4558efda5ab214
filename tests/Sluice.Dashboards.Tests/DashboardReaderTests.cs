namespace Sluice.Dashboards.Tests;

public sealed class DashboardReaderTests : IDisposable
{
    private readonly DashboardFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void A_project_without_a_dashboards_folder_has_no_dashboards() =>
        Assert.Empty(_files.Read());

    [Fact]
    public void Every_panel_type_reads_with_its_source_place_and_options()
    {
        _files.Write("sales.yml", """
            title: Sales
            description: Revenue and orders.
            range: 90d
            refresh: 1m
            filters: [{dimension: country, label: Country}, plan]
            panels:
              - {title: Revenue, type: line, metric: revenue, granularity: week, group_by: [plan], filters: {country: [de, fr]}, thresholds: [{value: 100, label: Goal, color: green}, 50], x: 0, y: 0, w: 6, h: 4}
              - {title: Revenue area, type: area, stack: true, metric: revenue, x: 6, y: 0, w: 6, h: 4}
              - {title: Orders, type: bar, stack: true, metric: orders, group_by: country, granularity: month, x: 0, y: 4, w: 4, h: 3}
              - {title: Mix, type: pie, donut: true, metric: revenue, group_by: [country], x: 4, y: 4, w: 4, h: 3}
              - {id: total, title: Total revenue, type: number, metric: revenue, compare: true, sparkline: true, unit: EUR, decimals: 0, range: 7d, x: 8, y: 4, w: 4, h: 3}
              - {title: Daily, type: table, model: daily, page_size: 20, order_by: -d, columns: [d, country], filters: {country: de}, x: 0, y: 7, w: 6, h: 4}
              - {title: Revenue table, type: table, metric: revenue, group_by: [plan], x: 6, y: 7, w: 6, h: 4}
              - {title: Signup, type: funnel, funnel: signup, filters: {country: de}, x: 0, y: 11, w: 4, h: 4}
              - {title: Cohorts, type: heatmap, metric: revenue, group_by: [plan], granularity: week, x: 4, y: 11, w: 4, h: 4}
              - {title: Peers, type: benchmark, benchmark: revenue_peers, entity: "42", by: plan, x: 8, y: 11, w: 4, h: 4}
              - {type: markdown, text: "**Read me**", x: 0, y: 15, w: 12, h: 1}
            """);

        var dashboard = Assert.Single(_files.Read());

        Assert.Equal(("sales", "Sales", "Revenue and orders.", "dashboards/sales.yml", 90, TimeSpan.FromMinutes(1)),
            (dashboard.Name, dashboard.Title, dashboard.Description, dashboard.File, dashboard.RangeDays, dashboard.Refresh));
        Assert.Equal(["revenue", "revenue-area", "orders", "mix", "total", "daily", "revenue-table", "signup", "cohorts", "peers", "markdown"], dashboard.Panels.Select(p => p.Id));
        Assert.Equal(Enum.GetValues<PanelType>().Order(), dashboard.Panels.Select(p => p.Type).Distinct().Order());
        Assert.Equal([new DashboardFilter("country", "Country", "revenue"), new DashboardFilter("plan", "plan", "revenue")], dashboard.Filters);

        var revenue = dashboard.Panels[0];
        var source = Assert.IsType<MetricSource>(revenue.Source);
        Assert.Equal(("revenue", "week"), (source.Metric, source.Granularity));
        Assert.Equal(["plan"], source.GroupBy);
        Assert.Equal(["de", "fr"], source.Filters["country"]);
        Assert.Equal([new Threshold(100, "Goal", "#2ca02c"), new Threshold(50, null, "#d62728")], revenue.Thresholds);
        Assert.Equal(new GridPlace(0, 0, 6, 4), revenue.Place);
        Assert.Equal(7, revenue.Line);

        Assert.Equal("total", Assert.IsType<MetricSource>(dashboard.Panels[3].Source).Granularity);
        var total = dashboard.Panels[4];
        Assert.Equal((true, true, "EUR", 0, 7), (total.Options.Compare, total.Options.Sparkline, total.Options.Unit, total.Options.Decimals, total.RangeDays));
        Assert.Equal("total", Assert.IsType<MetricSource>(total.Source).Granularity);
        var daily = dashboard.Panels[5];
        Assert.Equal(("daily", 20, "-d"), (Assert.IsType<ModelSource>(daily.Source).Model, daily.Options.PageSize, daily.Options.OrderBy));
        Assert.Equal(new BenchmarkSource("revenue_peers", "42", "plan"), dashboard.Panels[9].Source);
        Assert.Equal(("**Read me**", null), (dashboard.Panels[10].Text, dashboard.Panels[10].Source));
    }

    [Fact]
    public void Filters_apply_to_the_panels_whose_data_has_them()
    {
        _files.Write("a.yml", """
            panels:
              - {title: Revenue, type: line, metric: revenue, x: 0, y: 0, w: 6, h: 4}
              - {title: Latency, type: line, metric: latency, x: 6, y: 0, w: 6, h: 4}
              - {title: Daily, type: table, model: daily, x: 0, y: 4, w: 6, h: 4}
            filters: [country]
            """);

        var dashboard = Assert.Single(_files.Read());

        Assert.Equal([true, false, true], dashboard.Panels.Select(p => PanelFilters.Applies(p, "country", Catalogs.Shop)));
        Assert.Equal("a", dashboard.Title);
        Assert.Equal(30, dashboard.RangeDays);
        Assert.Null(dashboard.Refresh);
    }

    [Fact]
    public void Dashboards_come_in_name_order()
    {
        var panel = "panels: [{title: R, type: line, metric: revenue, x: 0, y: 0, w: 6, h: 4}]";
        _files.Write("b.yml", panel);
        _files.Write("a.yml", panel);

        Assert.Equal(["a", "b"], _files.Read().Select(d => d.Name));
    }
}
