using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Served;

namespace Sluice.Web.Tests;

/// <summary>
/// The ApplyLens operations dashboard as a person opens it: every panel settles and shows what
/// the API answers for the panel's query, and the figures agree with the generated mail itself.
/// </summary>
[Collection(ApplyLensCollection.Name)]
public sealed class OperationsPanelTests(BrowserFixture browser, ApplyLensServer served)
{
    private readonly DashboardApi _api = new(served.Client);

    [Fact]
    public async Task Every_operations_panel_settles_and_shows_the_api_answer_to_its_query()
    {
        var dashboard = await _api.DashboardAsync("operations");
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(Every_operations_panel_settles_and_shows_the_api_answer_to_its_query), 1280, 900);

        await page.OpenAsync(served.Server.Address);
        var view = await page.Hook.SettledAsync();

        Assert.Equal(8, dashboard.Panels.Count);
        Assert.All(view.Panels.Values, p => Assert.True(p.State == "ready", $"{p}"));
        Assert.Equal(view.Panels.ToDictionary(p => p.Key, p => p.Value.State), await page.Hook.DomStatesAsync());
        var range = RequestedRange.Of(page.Requests, dashboard, dashboard.RangeDays, served.Today);
        await PanelAssert.AllShowTheApiAnswerAsync(dashboard, view, new ExpectedPanel(_api, range, new Dictionary<string, string>()));
        page.AssertNoErrors();
        if (Artifacts.UpdateDocumentation)
        {
            // The README's picture: the first screen a person sees at 1280 by 900.
            await page.Page.ScreenshotAsync(new() { Path = Artifacts.InRepository("docs/images/dashboard-operations.png") });
        }
    }

    [Fact]
    public async Task The_volume_and_risk_figures_equal_those_computed_from_the_generated_mail()
    {
        var dashboard = await _api.DashboardAsync("operations");
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(The_volume_and_risk_figures_equal_those_computed_from_the_generated_mail));

        await page.OpenAsync(served.Server.Address);
        var view = await page.Hook.SettledAsync();

        var range = RequestedRange.Of(page.Requests, dashboard, dashboard.RangeDays, served.Today);
        var mail = served.State.Emails.Select(e => (Day: DateOnly.FromDateTime(e.ReceivedAt), e.RiskScore)).ToList();
        var week = dashboard.OfType("number", p => p.Query!.Path.Contains("/email_volume/", StringComparison.Ordinal));
        var weekRange = week.RangeWithin(range);
        PanelAssert.Close(mail.Count(m => m.Day >= weekRange.From && m.Day <= weekRange.To), view[week.Id].Value, "emails in the number panel's days");
        PanelAssert.Close(mail.Count(m => m.Day >= weekRange.Previous.From && m.Day <= weekRange.Previous.To), view[week.Id].Previous, "emails in the days before");

        var inRange = mail.Where(m => m.Day >= range.From && m.Day <= range.To).GroupBy(m => m.Day).OrderBy(g => g.Key).ToList();
        var volume = dashboard.OfType("bar", p => p.Query!.Path.Contains("/email_volume/", StringComparison.Ordinal));
        PanelAssert.SamePoints([.. inRange.Select(g => new Hook.ShownPoint(string.Empty, DayRange.Day(g.Key), g.Count()))], view[volume.Id].Points(), grouped: false, "email volume per day");
        var risk = dashboard.OfType("line", p => p.Query!.Path.Contains("/average_risk/", StringComparison.Ordinal));
        PanelAssert.SamePoints(
            [.. inRange.Select(g => new Hook.ShownPoint(string.Empty, DayRange.Day(g.Key), g.Where(m => m.RiskScore is not null).Average(m => m.RiskScore)))],
            view[risk.Id].Points(),
            grouped: false,
            "average risk per day");
        page.AssertNoErrors();
    }

    [Fact]
    public async Task The_backfill_panel_shows_todays_p95_build_time_against_the_300_second_threshold()
    {
        var dashboard = await _api.DashboardAsync("operations");
        var backfill = dashboard.OfType("line", p => p.Query!.Path.Contains("/backfill_p95_seconds/", StringComparison.Ordinal));
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(The_backfill_panel_shows_todays_p95_build_time_against_the_300_second_threshold));

        await page.OpenAsync(served.Server.Address);
        var view = await page.Hook.SettledAsync();

        Assert.Equal([300.0], backfill.ThresholdValues);
        var today = Assert.Single(view[backfill.Id].Points(), p => p.X == DayRange.Day(served.Today));
        PanelAssert.Close(Percentile(served.BuildSecondsToday, 0.95), today.Y, "today's p95 build time");
        // The threshold is drawn on a canvas; the hook says which lines the chart draws.
        var drawn = view[backfill.Id].Json.TryGetProperty("thresholds", out var lines) ? lines.EnumerateArray().Select(t => t.GetProperty("value").GetDouble()).ToList() : [];
        Assert.True(drawn.SequenceEqual([300.0]), $"the backfill panel's hook lists no 300 s threshold line: {view[backfill.Id]}");
        page.AssertNoErrors();
    }

    // Linear interpolation between the closest ranks, as percentile_cont.
    private static double? Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var position = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
