using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Served;

namespace Sluice.Web.Tests;

/// <summary>A project without schedules or alert rules says so on those pages; at a phone's width the pipeline pages never scroll sideways.</summary>
[Collection(PipelineCollection.Name)]
public sealed class PipelineEmptyPagesTests(BrowserFixture browser, PipelineServer served)
{
    private readonly DashboardApi _api = new(served.Client);

    [Theory]
    [InlineData("schedules", "/api/v1/schedules", "schedules", "schedules", "no schedules")]
    [InlineData("alerts", "/api/v1/alerts", "rules", "alerts-rules", "no alert rules")]
    public async Task A_project_without_schedules_or_alert_rules_shows_a_clear_empty_state(string path, string endpoint, string list, string section, string says)
    {
        // Without schedules the server runs none, and says so with a 404; the page shows that as empty, not as an error.
        using var answer = await served.Client.GetAsync(endpoint);
        if (answer.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            Assert.Contains(says, await _api.ProblemDetailAsync(endpoint), StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty((await _api.GetAsync(endpoint)).GetProperty(list).EnumerateArray());
        }

        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, $"{nameof(A_project_without_schedules_or_alert_rules_shows_a_clear_empty_state)}_{path}");

        await page.Page.GotoAsync(new Uri(served.Server.Address, $"/pipeline/{path}").ToString());
        var view = await page.Hook.SettledAsync();

        Assert.Equal("empty", view[section].State);
        Assert.Empty(view[section].Rows);
        Assert.Contains(says, await page.Hook.Panel(section).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(view.Panels.ToDictionary(p => p.Key, p => p.Value.State), await page.Hook.DomStatesAsync());
        page.AssertNoErrors("status of 404");
    }

    [Theory]
    [InlineData("runs")]
    [InlineData("quality")]
    [InlineData("sync")]
    public async Task At_390_pixels_wide_a_pipeline_page_settles_and_never_scrolls_sideways(string path)
    {
        const int width = 390;
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, $"{nameof(At_390_pixels_wide_a_pipeline_page_settles_and_never_scrolls_sideways)}_{path}", width, 844);

        await page.Page.GotoAsync(new Uri(served.Server.Address, $"/pipeline/{path}").ToString());
        var view = await page.Hook.SettledAsync();

        Assert.All(view.Panels.Values, p => Assert.True(p.State == "ready", $"{p}"));
        Assert.True(await page.Page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth") <= width, "the page scrolls sideways");
        page.AssertNoErrors();
    }
}
