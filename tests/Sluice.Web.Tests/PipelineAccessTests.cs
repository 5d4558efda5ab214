using System.Globalization;
using Sluice.Web.Tests.Api;
using Sluice.Web.Tests.Browser;
using Sluice.Web.Tests.Served;
using static Sluice.Web.Tests.PipelineHistory;

namespace Sluice.Web.Tests;

/// <summary>
/// The pipeline pages read admin endpoints: a tenant key sees each endpoint's 403 detail instead
/// of data, and the admin sees the server's own figures on the API page.
/// </summary>
[Collection(PanelsCollection.Name)]
public sealed class PipelineAccessTests(BrowserFixture browser, PanelsServer served)
{
    [Theory]
    [InlineData("runs", "runs-timeline", "/api/v1/runs")]
    [InlineData("quality", "quality-latest", "/api/v1/checks")]
    [InlineData("sync", "sync-freshness", "/api/v1/sync")]
    [InlineData("schedules", "schedules", "/api/v1/schedules")]
    [InlineData("alerts", "alerts-rules", "/api/v1/alerts")]
    [InlineData("api", "api-routes", "/api/v1/server")]
    public async Task A_tenant_key_sees_the_403_detail_on_every_section_instead_of_data(string path, string section, string endpoint)
    {
        using var client = served.Client(PanelsServer.AcmeKey);
        var detail = await new DashboardApi(client).ProblemDetailAsync(endpoint);
        await using var page = await BrowserPage.OpenAsync(browser.Browser, PanelsServer.Now, $"{nameof(A_tenant_key_sees_the_403_detail_on_every_section_instead_of_data)}_{path}", headers: new Dictionary<string, string> { ["Authorization"] = $"Bearer {PanelsServer.AcmeKey}" });

        await page.Page.GotoAsync(new Uri(served.Server.Address, $"/pipeline/{path}").ToString());
        var view = await page.Hook.SettledAsync();

        Assert.All(view.Panels.Values, p => Assert.True(p.State == "error" && p.Rows.Count == 0 && p.Points().Count == 0, $"{p}"));
        Assert.Equal(detail, view[section].Error);
        Assert.Contains(detail, await page.Hook.Panel(section).InnerTextAsync(), StringComparison.Ordinal);
        page.AssertNoErrors("status of 403");
    }

    [Fact]
    public async Task The_api_page_shows_requests_per_route_the_cache_per_endpoint_and_each_tenants_budget_use()
    {
        using var admin = served.Client(PanelsServer.AdminKey);
        using var acme = served.Client(PanelsServer.AcmeKey);
        var api = new DashboardApi(admin);
        // A tenant's requests count against its budget, so that the budgets have a row; the same
        // trend twice is a cache miss and a hit.
        const string trend = "/api/v1/metrics/revenue/trend?from=2025-01-01&to=2025-03-31";
        await new DashboardApi(acme).GetAsync(trend);
        await new DashboardApi(acme).GetAsync(trend);
        var before = await api.GetAsync("/api/v1/server");
        await using var page = await BrowserPage.OpenAsync(browser.Browser, PanelsServer.Now, nameof(The_api_page_shows_requests_per_route_the_cache_per_endpoint_and_each_tenants_budget_use), 1280, 900, PanelsServer.AdminHeaders);

        await page.Page.GotoAsync(new Uri(served.Server.Address, "/pipeline/api").ToString());
        var view = await page.Hook.SettledAsync();
        var after = await api.GetAsync("/api/v1/server");

        Assert.All(view.Panels.Values, p => Assert.True(p.State == "ready", $"{p}"));
        // The server counts requests as they come: each count shown lies between the counts before the page and after it.
        string Key(string method, string route, string status) => $"{method} {route} {status}";
        Dictionary<string, double> Counts(System.Text.Json.JsonElement stats) => stats.GetProperty("requests").EnumerateArray()
            .ToDictionary(r => Key(Text(r, "method"), Text(r, "route"), Text(r, "status")), r => Number(r, "count") ?? 0);
        var (low, high) = (Counts(before), Counts(after));
        Assert.NotEmpty(view["api-routes"].Rows);
        Assert.All(view["api-routes"].Rows, r =>
        {
            var count = double.Parse(r[3], CultureInfo.InvariantCulture);
            Assert.True(count >= low.GetValueOrDefault(Key(r[0], r[1], r[2])) && count <= high[Key(r[0], r[1], r[2])], $"{string.Join(" ", r)} against {low.GetValueOrDefault(Key(r[0], r[1], r[2]))}..{high[Key(r[0], r[1], r[2])]}");
        });
        Assert.Contains(view["api-routes"].Rows, r => r[1] == "/api/v1/metrics/{name}/trend");
        var endpoints = after.GetProperty("cache").EnumerateArray().Select(c => Text(c, "endpoint")).ToHashSet(StringComparer.Ordinal);
        Assert.All(view["api-cache"].Rows, r => Assert.Contains(r[0], endpoints));
        Assert.Contains(view["api-cache"].Rows, r => double.Parse(r[1], CultureInfo.InvariantCulture) >= 1);

        var budgets = await ReadAsync(api, "/api/v1/budgets");
        var current = budgets.GroupBy(b => (Text(b, "subject"), Text(b, "period"))).Select(g => g.First())
            .Select(b => new[] { Text(b, "subject"), Text(b, "period"), Text(b, "period_start"), Text(b, "queries_used"), Text(b, "query_limit"), Share(Number(b, "queries_used"), Number(b, "query_limit")) });
        Assert.Equal(Lines(current), Lines(view["api-budgets"].Rows));
        Assert.Contains(view["api-budgets"].Rows, r => r[0] == "tenant:acme");
        page.AssertNoErrors();
    }

    // A budget without a limit (no monthly one, say) has no share used.
    private static string Share(double? used, double? limit) => used is { } u && limit is { } l && l != 0 ? (u / l).ToString("R", CultureInfo.InvariantCulture) : string.Empty;
}
