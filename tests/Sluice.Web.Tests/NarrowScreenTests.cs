using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Served;

namespace Sluice.Web.Tests;

/// <summary>On a phone's width the panels stack in one column and the page never scrolls sideways.</summary>
[Collection(PanelsCollection.Name)]
public sealed class NarrowScreenTests(BrowserFixture browser, PanelsServer served)
{
    private const int Width = 390;

    [Fact]
    public async Task At_390_pixels_wide_the_panels_stack_and_nothing_overflows_sideways()
    {
        await using var page = await BrowserPage.OpenAsync(browser.Browser, PanelsServer.Now, nameof(At_390_pixels_wide_the_panels_stack_and_nothing_overflows_sideways), Width, 844, PanelsServer.AdminHeaders);

        await page.OpenAsync(DashboardControls.Dashboard(served.Server.Address, "shop"));
        var view = await page.Hook.SettledAsync();

        Assert.All(view.Panels.Values, p => Assert.True(p.State == "ready", $"{p}"));
        Assert.True(await page.Page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth") <= Width, "the page scrolls sideways");
        var boxes = await page.Page.EvalOnSelectorAllAsync<double[][]>(
            "[data-panel-id]",
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })");
        Assert.Equal(view.Panels.Count, boxes.Length);
        Assert.All(boxes, b => Assert.True(b[0] >= 0 && b[2] <= Width, $"a panel spans {b[0]}..{b[2]} px"));
        var ordered = boxes.OrderBy(b => b[1]).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i][1] >= ordered[i - 1][3] - 1, $"two panels share a row: {string.Join(",", ordered[i - 1])} and {string.Join(",", ordered[i])}");
        }

        page.AssertNoErrors();
    }
}
