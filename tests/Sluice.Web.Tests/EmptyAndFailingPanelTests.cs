using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Served;

namespace Sluice.Web.Tests;

/// <summary>A range without data shows the empty state; a panel whose query the API refuses shows the problem's detail, and only that panel.</summary>
[Collection(PanelsCollection.Name)]
public sealed class EmptyAndFailingPanelTests(BrowserFixture browser, PanelsServer served)
{
    [Fact]
    public async Task A_range_without_data_shows_every_chart_and_table_empty()
    {
        using var client = served.Client(PanelsServer.AdminKey);
        var api = new DashboardApi(client);
        var dashboard = await api.DashboardAsync("shop");
        // Years after the data ends, the last 90 days hold none of it.
        var later = new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
        await using var page = await BrowserPage.OpenAsync(browser.Browser, later, nameof(A_range_without_data_shows_every_chart_and_table_empty), headers: PanelsServer.AdminHeaders);

        await page.OpenAsync(DashboardControls.Dashboard(served.Server.Address, dashboard.Name));
        var view = await page.Hook.SettledAsync();

        var range = RequestedRange.Of(page.Requests, dashboard, dashboard.RangeDays, DateOnly.FromDateTime(later.UtcDateTime));
        var expected = new ExpectedPanel(api, range, new Dictionary<string, string>());
        var trends = dashboard.Panels.Where(p => p.Type is "line" or "area" or "bar" or "pie" or "heatmap" or "number" or "table").ToList();
        foreach (var panel in trends)
        {
            Assert.True(view[panel.Id].State == "empty", $"{view[panel.Id]}");
            Assert.DoesNotContain(view[panel.Id].Points(), p => p.Y is not null);
            Assert.Empty(view[panel.Id].Rows);
            await PanelAssert.ShowsTheApiAnswerAsync(panel, view[panel.Id], expected);
        }

        Assert.Equal("ready", view["about"].State);
        Assert.Equal(view.Panels.ToDictionary(p => p.Key, p => p.Value.State), await page.Hook.DomStatesAsync());
        // The benchmark's entity has no orders in these days: the API may say so with a 404.
        page.AssertNoErrors("status of 404");
    }

    [Fact]
    public async Task A_panel_whose_query_the_api_refuses_shows_the_problems_detail_beside_working_panels()
    {
        using var client = served.Client(PanelsServer.AdminKey);
        var api = new DashboardApi(client);
        var dashboard = await api.DashboardAsync("broken");
        await using var page = await BrowserPage.OpenAsync(browser.Browser, PanelsServer.Now, nameof(A_panel_whose_query_the_api_refuses_shows_the_problems_detail_beside_working_panels), headers: PanelsServer.AdminHeaders);

        await page.OpenAsync(DashboardControls.Dashboard(served.Server.Address, dashboard.Name));
        var view = await page.Hook.SettledAsync();

        var range = RequestedRange.Of(page.Requests, dashboard, dashboard.RangeDays, DateOnly.FromDateTime(PanelsServer.Now.UtcDateTime));
        var detail = await api.ProblemDetailAsync(DashboardApi.Url(dashboard["nobody_peers"], range, new Dictionary<string, string>()));
        Assert.Contains("nobody", detail, StringComparison.Ordinal);
        Assert.Equal("error", view["nobody_peers"].State);
        Assert.Equal(detail, view["nobody_peers"].Error);
        Assert.Contains(detail, await page.Hook.Panel("nobody_peers").InnerTextAsync(), StringComparison.Ordinal);
        await PanelAssert.ShowsTheApiAnswerAsync(dashboard["revenue_line"], view["revenue_line"], new ExpectedPanel(api, range, new Dictionary<string, string>()));
        page.AssertNoErrors("status of 404");
    }
}
