using System.Globalization;
using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Hook;
using Sluice.Web.Tests.Served;
using static Sluice.Web.Tests.PipelineHistory;

namespace Sluice.Web.Tests;

/// <summary>The Runs page shows the job runs, failures, missing partitions and latest backfill that the API answers.</summary>
[Collection(PipelineCollection.Name)]
public sealed class PipelineRunsTests(BrowserFixture browser, PipelineServer served)
{
    private readonly DashboardApi _api = new(served.Client);

    [Fact]
    public async Task The_runs_page_shows_each_runs_duration_the_failures_the_missing_partitions_and_the_latest_backfill_as_the_api_answers()
    {
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(The_runs_page_shows_each_runs_duration_the_failures_the_missing_partitions_and_the_latest_backfill_as_the_api_answers), 1280, 900);

        await page.Page.GotoAsync(new Uri(served.Server.Address, "/pipeline/runs").ToString());
        var view = await page.Hook.SettledAsync();

        Assert.All(view.Panels.Values, p => Assert.True(p.State == "ready", $"{p}"));
        var since = Since(served.Today, 7);
        var runs = await ReadAsync(_api, "/api/v1/runs", ("since", since));
        var expected = runs.AsEnumerable().Reverse()
            .Where(r => Number(r, "duration_ms") is not null && Text(r, "skip_reason") != "ALREADY_BUILT")
            .Select(r => new ShownPoint(Text(r, "job_name"), Text(r, "started_at"), Number(r, "duration_ms") / 1000));
        Assert.Equal(expected.OrderBy(p => p.Series, StringComparer.Ordinal).ThenBy(p => p.X, StringComparer.Ordinal), view["runs-timeline"].Points().OrderBy(p => p.Series, StringComparer.Ordinal).ThenBy(p => p.X, StringComparer.Ordinal));
        Assert.Equal([300.0], Thresholds(view["runs-timeline"]));

        var failed = await ReadAsync(_api, "/api/v1/runs", ("since", since), ("status", "failed"));
        Assert.Equal(Lines(failed.Select(r => new[] { Text(r, "started_at"), Text(r, "job_name"), Text(r, "target_date"), Text(r, "error_message") })), Lines(view["runs-failures"].Rows));
        Assert.Contains(view["runs-failures"].Rows, r => r[1] == "daily_orders" && r[3].Contains(PipelineProject.PlantedError, StringComparison.Ordinal));
        Assert.Contains(PipelineProject.PlantedError, await page.Hook.Panel("runs-failures").InnerTextAsync(), StringComparison.Ordinal);

        var status = await _api.GetAsync("/api/v1/status?days=7");
        var missing = status.GetProperty("resources").EnumerateArray()
            .Select(r => (Name: r.GetProperty("name").GetString()!, Kind: r.GetProperty("kind").GetString()!, Days: r.GetProperty("missing_partitions").EnumerateArray().Select(p => p.GetProperty("start").GetString()!).Order(StringComparer.Ordinal).ToList()))
            .Where(r => r.Days.Count > 0)
            .Select(r => new[] { r.Name, r.Kind, r.Days.Count.ToString(CultureInfo.InvariantCulture), r.Days[0], r.Days[^1] });
        Assert.Equal(Lines(missing), Lines(view["runs-missing"].Rows));
        Assert.Contains(view["runs-missing"].Rows, r => r[0] == "daily_orders");

        // The newest invocation is the build: its partitions per status, one of them failed.
        var newest = Text(runs[0], "invocation_id");
        var partitions = runs.Where(r => Text(r, "invocation_id") == newest && Text(r, "target_date") != string.Empty).ToList();
        var backfill = Assert.Single(view["runs-backfill"].Rows);
        Assert.Equal(["daily_orders", Count(partitions), Count(partitions.Where(r => Text(r, "status") == "SUCCESS")), Count(partitions.Where(r => Text(r, "status") == "FAILED")), "0", "0"], backfill);
        Assert.Equal("1", backfill[3]);
        page.AssertNoErrors();
    }

    [Fact]
    public async Task The_slo_given_in_the_url_is_the_line_drawn_and_changing_it_in_the_page_keeps_it_in_the_url()
    {
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(The_slo_given_in_the_url_is_the_line_drawn_and_changing_it_in_the_page_keeps_it_in_the_url));

        await page.Page.GotoAsync(new Uri(served.Server.Address, "/pipeline/runs?slo=120").ToString());
        var view = await page.Hook.SettledAsync();
        Assert.Equal([120.0], Thresholds(view["runs-timeline"]));
        Assert.Equal("120", await page.Page.GetByLabel("Duration SLO (seconds)").InputValueAsync());

        view = await page.Hook.AfterPanelChangesAsync("runs-timeline", async () =>
        {
            await page.Page.GetByLabel("Duration SLO (seconds)").FillAsync("45");
            await page.Page.GetByLabel("Duration SLO (seconds)").PressAsync("Enter");
        });

        Assert.Equal([45.0], Thresholds(view["runs-timeline"]));
        Assert.Contains("slo=45", page.Page.Url, StringComparison.Ordinal);
        page.AssertNoErrors();
    }

    private static string Count(IEnumerable<System.Text.Json.JsonElement> runs) => runs.Count().ToString(CultureInfo.InvariantCulture);

    private static List<double> Thresholds(PanelView panel) =>
        panel.Json.TryGetProperty("thresholds", out var lines) ? [.. lines.EnumerateArray().Select(t => t.GetProperty("value").GetDouble())] : [];
}
