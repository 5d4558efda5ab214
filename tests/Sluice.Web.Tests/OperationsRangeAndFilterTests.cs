using Microsoft.AspNetCore.WebUtilities;
using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Served;

namespace Sluice.Web.Tests;

/// <summary>
/// Changing the operations dashboard's range and filter queries again and draws the new answers;
/// the URL then holds the state, so that a reload (or a shared link) shows the same.
/// </summary>
[Collection(ApplyLensCollection.Name)]
public sealed class OperationsRangeAndFilterTests(BrowserFixture browser, ApplyLensServer served)
{
    private readonly DashboardApi _api = new(served.Client);

    [Fact]
    public async Task A_new_range_and_filter_requery_every_panel_and_a_reload_of_the_link_shows_the_same()
    {
        var dashboard = await _api.DashboardAsync("operations");
        var filter = Assert.Single(dashboard.Filters);
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(A_new_range_and_filter_requery_every_panel_and_a_reload_of_the_link_shows_the_same));
        await page.OpenAsync(served.Server.Address);
        var opened = await page.Hook.SettledAsync();
        var none = new Dictionary<string, string>();

        var asked = page.Requests.Count;
        await page.PickRangeAsync(7);
        var week = await page.Hook.SettledAsync(opened.Loads);
        var weekRange = RequestedRange.Of(page.Requests.Skip(asked), dashboard, 7, served.Today);
        await PanelAssert.AllShowTheApiAnswerAsync(dashboard, week, new ExpectedPanel(_api, weekRange, none));

        asked = page.Requests.Count;
        await page.PickRangeAsync(90);
        var quarter = await page.Hook.SettledAsync(week.Loads);
        var quarterRange = RequestedRange.Of(page.Requests.Skip(asked), dashboard, 90, served.Today);
        Assert.Equal(weekRange.To, quarterRange.To);
        await PanelAssert.AllShowTheApiAnswerAsync(dashboard, quarter, new ExpectedPanel(_api, quarterRange, none));
        var volume = dashboard.OfType("bar");
        Assert.True(quarter[volume.Id].Points().Count > week[volume.Id].Points().Count, $"90 days show no more days than 7: {quarter[volume.Id]}");

        var label = (await _api.GetAsync($"/api/v1/dashboards/{dashboard.Name}")).GetProperty("filters")[0].GetProperty("label").GetString()!;
        var choices = await page.FilterChoicesAsync(filter, label);
        var value = choices.First(c => c == "recruiter" || choices.Count == 1);
        asked = page.Requests.Count;
        await page.PickFilterAsync(filter, label, value);
        var filtered = await page.Hook.SettledAsync(quarter.Loads);
        var chosen = new Dictionary<string, string> { [filter] = value };
        await PanelAssert.AllShowTheApiAnswerAsync(dashboard, filtered, new ExpectedPanel(_api, quarterRange, chosen));
        var applies = dashboard.Panels.Where(p => p.Filters.Contains(filter)).ToList();
        Assert.NotEmpty(applies);
        Assert.All(applies, p => Assert.Contains(value, RequestedRange.Sent(page.Requests.Skip(asked), p.Query!.Path, p.Query.FilterParameter.Replace("{name}", filter, StringComparison.Ordinal))));
        Assert.Contains(applies, p => p.Type is "line" or "area" && !filtered[p.Id].Points().SequenceEqual(quarter[p.Id].Points()));

        // The link holds range and filter: a reload starts the page over and shows the same.
        var link = page.Page.Url;
        asked = page.Requests.Count;
        await page.Page.ReloadAsync();
        var reloaded = await page.Hook.SettledAsync();
        Assert.Equal(link, page.Page.Url);
        Assert.Equal(quarterRange, RequestedRange.Of(page.Requests.Skip(asked), dashboard, 90, served.Today));
        await PanelAssert.AllShowTheApiAnswerAsync(dashboard, reloaded, new ExpectedPanel(_api, quarterRange, chosen));
        foreach (var id in reloaded.Panels.Keys)
        {
            Assert.Equal(filtered[id].Json.GetRawText(), reloaded[id].Json.GetRawText());
        }

        Assert.Contains(value, QueryHelpers.ParseQuery(new Uri(link).Query).SelectMany(p => p.Value).Select(v => v ?? string.Empty));
        page.AssertNoErrors();
    }
}
