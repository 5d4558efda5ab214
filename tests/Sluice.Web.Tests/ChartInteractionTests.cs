using System.Globalization;
using Microsoft.Playwright;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Served;

namespace Sluice.Web.Tests;

/// <summary>What a person does with the charts beyond reading them: hovering for a tooltip, and switching to the dark theme.</summary>
[Collection(PanelsCollection.Name)]
public sealed class ChartInteractionTests(BrowserFixture browser, PanelsServer served)
{
    [Fact]
    public async Task Hovering_a_line_chart_shows_its_period_and_value_under_the_pages_content_policy()
    {
        await using var page = await BrowserPage.OpenAsync(browser.Browser, PanelsServer.Now, nameof(Hovering_a_line_chart_shows_its_period_and_value_under_the_pages_content_policy), headers: PanelsServer.AdminHeaders);
        await page.OpenAsync(DashboardControls.Dashboard(served.Server.Address, "shop"));
        var view = await page.Hook.SettledAsync();
        var points = view["revenue_line"].Json.GetProperty("series")[0].GetProperty("data").EnumerateArray()
            .ToDictionary(p => p[0].GetString()!, p => p[1].GetDouble(), StringComparer.Ordinal);

        var chart = page.Page.Locator("[data-panel-id=revenue_line] canvas").First;
        var box = (await chart.BoundingBoxAsync())!;
        await page.Page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        var title = page.Page.Locator("[data-panel-id=revenue_line] .tip-title");
        await title.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 30_000 });

        var period = await title.InnerTextAsync();
        Assert.True(points.ContainsKey(period), $"the tooltip's title '{period}' is not one of the chart's periods");
        var value = points[period];
        // As the page writes figures: en-US grouping, which the invariant culture shares.
        var digits = Math.Abs(value) >= 100 || value == Math.Floor(value) ? "N0" : "N2";
        Assert.Contains(value.ToString(digits, CultureInfo.InvariantCulture), await page.Page.Locator("[data-panel-id=revenue_line] .tip-row").First.InnerTextAsync(), StringComparison.Ordinal);

        // A tooltip that broke the content security policy would be refused with a console error.
        page.AssertNoErrors();
    }

    [Fact]
    public async Task The_dark_theme_redraws_the_page_and_is_remembered_after_a_reload()
    {
        await using var page = await BrowserPage.OpenAsync(browser.Browser, PanelsServer.Now, nameof(The_dark_theme_redraws_the_page_and_is_remembered_after_a_reload), headers: PanelsServer.AdminHeaders);
        await page.OpenAsync(DashboardControls.Dashboard(served.Server.Address, "shop"));
        var light = await page.Hook.SettledAsync();
        var background = await BackgroundAsync(page.Page);
        Assert.Equal("light", await ThemeAsync(page.Page));

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Use the dark theme" }).ClickAsync();
        var dark = await page.Hook.SettledAsync(light.Loads);

        Assert.Equal("dark", await ThemeAsync(page.Page));
        Assert.NotEqual(background, await BackgroundAsync(page.Page));
        Assert.All(dark.Panels.Values, p => Assert.True(p.State is "ready" or "empty", $"{p}"));

        await page.Page.ReloadAsync();
        await page.Hook.SettledAsync();
        Assert.Equal("dark", await ThemeAsync(page.Page));
        Assert.Equal(1, await page.Page.GetByRole(AriaRole.Button, new() { Name = "Use the light theme" }).CountAsync());
        page.AssertNoErrors();
    }

    private static Task<string> ThemeAsync(IPage page) => page.EvaluateAsync<string>("() => document.documentElement.dataset.theme");

    private static Task<string> BackgroundAsync(IPage page) => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
