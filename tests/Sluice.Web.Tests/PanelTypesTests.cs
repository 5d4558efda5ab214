using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Served;

namespace Sluice.Web.Tests;

/// <summary>Every panel type draws its data: the shop dashboard's panels against the API's answers and the shop's rows.</summary>
[Collection(PanelsCollection.Name)]
public sealed class PanelTypesTests(BrowserFixture browser, PanelsServer served)
{
    [Fact]
    public async Task Every_panel_type_shows_the_api_answer_to_its_query()
    {
        using var client = served.Client(PanelsServer.AdminKey);
        var api = new DashboardApi(client);
        var dashboard = await api.DashboardAsync("shop");
        await using var page = await BrowserPage.OpenAsync(browser.Browser, PanelsServer.Now, nameof(Every_panel_type_shows_the_api_answer_to_its_query), headers: PanelsServer.AdminHeaders);

        await page.OpenAsync(DashboardControls.Dashboard(served.Server.Address, dashboard.Name));
        var view = await page.Hook.SettledAsync();

        string[] types = ["line", "area", "bar", "pie", "number", "table", "funnel", "heatmap", "benchmark", "markdown"];
        Assert.Equal(types.Order(), dashboard.Panels.Select(p => p.Type).Distinct().Order());
        Assert.All(view.Panels.Values, p => Assert.True(p.State == "ready", $"{p}"));
        Assert.Equal(view.Panels.ToDictionary(p => p.Key, p => p.Value.State), await page.Hook.DomStatesAsync());
        var range = RequestedRange.Of(page.Requests, dashboard, dashboard.RangeDays, DateOnly.FromDateTime(PanelsServer.Now.UtcDateTime));
        await PanelAssert.AllShowTheApiAnswerAsync(dashboard, view, new ExpectedPanel(api, range, new Dictionary<string, string>()));
        Assert.Equal("Made up", await page.Hook.Panel("about").Locator("strong").InnerTextAsync());
        page.AssertNoErrors();
    }

    [Fact]
    public async Task The_pie_the_funnel_and_the_order_count_equal_figures_computed_from_the_shops_rows()
    {
        using var client = served.Client(PanelsServer.AdminKey);
        var dashboard = await new DashboardApi(client).DashboardAsync("shop");
        await using var page = await BrowserPage.OpenAsync(browser.Browser, PanelsServer.Now, nameof(The_pie_the_funnel_and_the_order_count_equal_figures_computed_from_the_shops_rows), headers: PanelsServer.AdminHeaders);

        await page.OpenAsync(DashboardControls.Dashboard(served.Server.Address, dashboard.Name));
        var view = await page.Hook.SettledAsync();

        // The 90 days shown hold every order, sign-up and purchase of the data (which ends the day before).
        var range = RequestedRange.Of(page.Requests, dashboard, dashboard.RangeDays, DateOnly.FromDateTime(PanelsServer.Now.UtcDateTime));
        Assert.True(range.From <= PanelsData.First.AddDays(1), $"{range}");
        var orders = PanelsData.Orders.Where(o => DateOnly.FromDateTime(o.OrderedAt) >= range.From).ToList();
        PanelAssert.Close(orders.Count, view["orders_number"].Value, "orders");
        PanelAssert.SamePoints(
            [.. orders.GroupBy(o => o.Plan).Select(g => new Hook.ShownPoint(string.Empty, g.Key, g.Sum(o => o.Amount)))],
            view["plan_pie"].Points(),
            grouped: false,
            "revenue per plan");
        var users = PanelsData.Events.Where(e => DateOnly.FromDateTime(e.OccurredAt) >= range.From).GroupBy(e => e.UserId).ToList();
        PanelAssert.SamePoints(
            [.. new[] { "visit", "signup", "purchase" }.Select(step => new Hook.ShownPoint(string.Empty, step, users.Count(u => u.Any(e => e.EventName == step) && u.Any(e => e.EventName == "visit"))))],
            view["checkout_funnel"].Points(),
            grouped: false,
            "checkout steps");
        page.AssertNoErrors();
    }
}
