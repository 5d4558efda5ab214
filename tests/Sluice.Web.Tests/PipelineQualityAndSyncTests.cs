using System.Globalization;
using System.Text.Json;
using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Hook;
using Sluice.Web.Tests.Served;
using static Sluice.Web.Tests.PipelineHistory;

namespace Sluice.Web.Tests;

/// <summary>The Quality and Sync pages show the check results, syncs and parity checks that the API answers.</summary>
[Collection(PipelineCollection.Name)]
public sealed class PipelineQualityAndSyncTests(BrowserFixture browser, PipelineServer served)
{
    private static readonly string[] Bad = ["fail", "warn", "error"];
    private readonly DashboardApi _api = new(served.Client);

    [Fact]
    public async Task The_quality_page_shows_each_checks_latest_result_the_failing_samples_and_failures_per_day_as_the_api_answers()
    {
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(The_quality_page_shows_each_checks_latest_result_the_failing_samples_and_failures_per_day_as_the_api_answers), 1280, 900);

        await page.Page.GotoAsync(new Uri(served.Server.Address, "/pipeline/quality").ToString());
        var view = await page.Hook.SettledAsync();

        Assert.All(view.Panels.Values, p => Assert.True(p.State == "ready", $"{p}"));
        var results = await ReadAsync(_api, "/api/v1/checks", ("since", Since(served.Today, 30)));
        var latest = results.GroupBy(r => (Text(r, "check_name"), Text(r, "model"))).Select(g => g.First()).ToList();
        string[] fields = ["check_name", "model", "column_name", "status", "failing_rows", "failing_ratio", "mostly", "message", "checked_at"];
        Assert.Equal(Lines(latest.Select(r => fields.Select(f => Text(r, f)))), Lines(view["quality-latest"].Rows));
        Assert.Contains(view["quality-latest"].Rows, r => r[0] == "order_status_known" && r[3] == "fail");

        var samples = latest.Where(r => Bad.Contains(Text(r, "status")) && Text(r, "sample") is { Length: > 0 } s && s != "[]");
        Assert.Equal(Lines(samples.Select(r => new[] { Text(r, "check_name"), Text(r, "model"), Text(r, "sample") })), Lines(view["quality-samples"].Rows));
        Assert.Contains(PipelineProject.PlantedStatus, await page.Hook.Panel("quality-samples").InnerTextAsync(), StringComparison.Ordinal);

        var failing = results.Where(r => Bad.Contains(Text(r, "status"))).GroupBy(r => Day(Text(r, "checked_at"))).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var expected = Bad.SelectMany(status => failing.Select(day => new ShownPoint(status, day.Key, day.Count(r => Text(r, "status") == status))));
        Assert.Equal(expected, view["quality-failures"].Points());
        page.AssertNoErrors();
    }

    [Fact]
    public async Task The_sync_page_shows_each_tables_freshness_rows_per_sync_and_parity_drift_as_the_api_answers()
    {
        await using var page = await BrowserPage.OpenAsync(browser.Browser, served.Now, nameof(The_sync_page_shows_each_tables_freshness_rows_per_sync_and_parity_drift_as_the_api_answers), 1280, 900);

        await page.Page.GotoAsync(new Uri(served.Server.Address, "/pipeline/sync").ToString());
        var view = await page.Hook.SettledAsync();

        Assert.All(view.Panels.Values, p => Assert.True(p.State == "ready", $"{p}"));
        var since = Since(served.Today, 30);
        var runs = await ReadAsync(_api, "/api/v1/sync", ("since", since));
        var freshness = runs.GroupBy(r => $"{Text(r, "source")}.{Text(r, "table_name")}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var success = g.FirstOrDefault(r => Text(r, "status").Equals("success", StringComparison.OrdinalIgnoreCase));
            var ended = success.ValueKind == JsonValueKind.Undefined ? null : Time(Text(success, "completed_at"));
            var seen = success.ValueKind == JsonValueKind.Undefined ? null : Time(Text(success, "watermark_after"));
            return new[] { g.Key, ended is null ? string.Empty : Text(success, "completed_at"), Seconds(served.Now - ended), Seconds(ended - seen), Text(g.First(), "status").ToLowerInvariant() };
        });
        Assert.Equal(Lines(freshness), Lines(view["sync-freshness"].Rows));
        Assert.Equal(2, view["sync-rows"].Points().Count);
        var upserts = runs.AsEnumerable().Reverse().Where(r => Text(r, "status") == "success").Select(r => new ShownPoint($"{Text(r, "source")}.{Text(r, "table_name")}", Text(r, "started_at"), Number(r, "rows_upserted")));
        Assert.Equal(upserts, view["sync-rows"].Points());

        var parity = await ReadAsync(_api, "/api/v1/parity", ("since", since));
        var drift = parity.Where(r => Text(r, "day") != string.Empty)
            .GroupBy(r => (Table: $"{Text(r, "source")}.{Text(r, "table_name")}", Day: Text(r, "day")))
            .Select(g => new ShownPoint(g.Key.Table, g.Key.Day, Number(g.First(), "mismatch_ratio")))
            .OrderBy(p => p.Series, StringComparer.Ordinal).ThenBy(p => p.X, StringComparer.Ordinal);
        Assert.Equal(drift, view["sync-parity"].Points());
        Assert.Contains(view["sync-parity"].Points(), p => p.Y == PipelineServer.PlantedDrift);
        page.AssertNoErrors();
    }

    private static DateTimeOffset? Time(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;

    // As the page rounds: whole seconds, or nothing when either time is unknown.
    private static string Seconds(TimeSpan? span) => span is { } s ? Math.Round(s.TotalSeconds, MidpointRounding.AwayFromZero).ToString("R", CultureInfo.InvariantCulture) : string.Empty;
}
