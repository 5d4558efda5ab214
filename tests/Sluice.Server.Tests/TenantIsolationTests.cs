using System.Net;
using System.Text.Json;

namespace Sluice.Server.Tests;

/// <summary>
/// Tenant keys see their tenant's rows only, on every endpoint, whatever they ask for; admin
/// keys see everything; requests without a known key are turned away.
/// </summary>
public sealed class TenantIsolationTests(DuckDbPreparedProject project) : IClassFixture<DuckDbPreparedProject>
{
    private const string Range = "from=2025-01-01&to=2025-03-31";

    private static readonly ServeSettings Settings = new()
    {
        HealthPerMinute = 1_000_000,
        ApiKeys = [.. AnalyticsData.Tenants.Select(t => PreparedProject.Key(t, t)), PreparedProject.Key("ops", null)],
    };

    // What a tenant may ask, including other tenants' names in every parameter that takes a value.
    private static IEnumerable<string> Requests(string tenant, string other) =>
    [
        "/api/v1/metrics",
        $"/api/v1/metrics/outcome_score/trend?{Range}&group_by=company_id",
        $"/api/v1/metrics/outcome_score/trend?{Range}&group_by=company_id,program&filter[company_id]={other}",
        $"/api/v1/metrics/assessments/trend?{Range}&granularity=month&group_by=program",
        $"/api/v1/metrics/score_p90/trend?{Range}&granularity=week",
        $"/api/v1/metrics/outcome_score/cohorts?{Range}&by=company_id",
        $"/api/v1/metrics/outcome_score/cohorts?{Range}&by=company_id&cohorts={other},{tenant}",
        $"/api/v1/metrics/outcome_score/cohorts?{Range}&by=program",
        $"/api/v1/funnels/program_journey?{Range}",
        $"/api/v1/funnels/program_journey?{Range}&filter[channel]=web",
        $"/api/v1/benchmarks/outcome_vs_peers?{Range}&entity={tenant}&by=industry",
        $"/api/v1/benchmarks/outcome_vs_peers?{Range}&entity={other}&by=region",
        "/api/v1/models/fct_appointments/rows?limit=1000",
        "/api/v1/models/fct_appointments/rows?limit=1000&order_by=-appointment_date&appointment_status=done",
        $"/api/v1/models/fct_appointments/rows?company_id={other}",
        "/api/v1/meta/counts",
        "/api/v1/runs",
        "/metrics",
        "/health/cache",
    ];

    [Fact]
    public async Task A_tenant_key_never_receives_another_tenants_rows_on_any_endpoint()
    {
        await using var server = await project.StartAsync(Settings);
        var checkedResponses = 0;
        foreach (var tenant in AnalyticsData.Tenants)
        {
            using var client = PreparedProject.Client(server, tenant);
            var others = AnalyticsData.Tenants.Where(t => t != tenant).ToList();
            var sawOwnMarker = false;
            foreach (var other in others)
            {
                foreach (var path in Requests(tenant, other))
                {
                    using var response = await client.GetAsync(path);
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True((int)response.StatusCode < 500, $"{tenant} GET {path}: {(int)response.StatusCode} {body}");
                    foreach (var foreign in others)
                    {
                        Assert.False(body.Contains(AnalyticsData.Marker(foreign), StringComparison.Ordinal), $"{tenant} GET {path} received {foreign}'s marker: {body}");
                        // A name the request itself gave may come back as a label (a cohort of no rows), never otherwise.
                        Assert.False(!path.Contains(foreign, StringComparison.Ordinal) && body.Contains($"\"{foreign}\"", StringComparison.Ordinal), $"{tenant} GET {path} received {foreign}'s id: {body}");
                    }

                    sawOwnMarker |= body.Contains(AnalyticsData.Marker(tenant), StringComparison.Ordinal);
                    checkedResponses++;
                }
            }

            Assert.True(sawOwnMarker, $"{tenant} never saw its own marker, so the test could not have seen another's");
        }

        Assert.Equal(4 * 3 * Requests("a", "b").Count(), checkedResponses);
    }

    [Fact]
    public async Task A_tenant_keys_numbers_are_its_tenants_numbers_and_an_admin_sees_all()
    {
        await using var server = await project.StartAsync(Settings);
        foreach (var tenant in AnalyticsData.Tenants)
        {
            using var client = PreparedProject.Client(server, tenant);
            var trend = await GetAsync(client, $"/api/v1/metrics/assessments/trend?{Range}&granularity=month");
            var expected = AnalyticsData.Scores.Where(s => s.CompanyId == tenant).GroupBy(s => s.CreatedAt.Month).OrderBy(g => g.Key).Select(g => (long)g.Count()).ToList();
            Assert.Equal(expected, trend.GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("count").GetInt64()).ToList());

            // The month rollup has no tenant column; the day rollup, which has, answers.
            Assert.Equal("day", trend.GetProperty("rollup").GetString());

            var counts = (await GetAsync(client, "/api/v1/meta/counts")).EnumerateArray().ToDictionary(c => c.GetProperty("relation").GetString()!, c => c.GetProperty("rows").GetInt64());
            Assert.Equal(AnalyticsData.Scores.Count(s => s.CompanyId == tenant), counts["fct_outcome_scores"]);
            Assert.Equal(AnalyticsData.Events.Count(e => e.CompanyId == tenant), counts["fct_user_events"]);
            Assert.Equal(AnalyticsData.Appointments.Count(a => a.CompanyId == tenant), counts["fct_appointments"]);

            var funnel = await GetAsync(client, $"/api/v1/funnels/program_journey?{Range}");
            Assert.InRange(funnel.GetProperty("total_entities").GetInt64(), 1, AnalyticsData.Events.Where(e => e.CompanyId == tenant).Select(e => e.UserId).Distinct().Count());
        }

        using var admin = PreparedProject.Client(server, "ops");
        var all = (await GetAsync(admin, "/api/v1/meta/counts")).EnumerateArray().ToDictionary(c => c.GetProperty("relation").GetString()!, c => c.GetProperty("rows").GetInt64());
        Assert.Equal(AnalyticsData.Scores.Count, all["fct_outcome_scores"]);
        var everyone = await GetAsync(admin, $"/api/v1/metrics/assessments/trend?{Range}&granularity=month");
        Assert.Equal("month", everyone.GetProperty("rollup").GetString());
        Assert.Equal(AnalyticsData.Scores.GroupBy(s => s.CreatedAt.Month).OrderBy(g => g.Key).Select(g => (long)g.Count()), everyone.GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("count").GetInt64()));
        var rows = await GetAsync(admin, "/api/v1/models/fct_appointments/rows?limit=1000");
        var text = rows.GetRawText();
        Assert.All(AnalyticsData.Tenants, t => Assert.Contains(AnalyticsData.Marker(t), text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requests_without_a_known_key_are_refused_and_tenant_keys_stay_off_admin_endpoints()
    {
        await using var server = await project.StartAsync(Settings);
        using var anonymous = PreparedProject.Client(server, null);
        using (var response = await anonymous.GetAsync("/api/v1/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Contains("API key", await ProblemDetailAsync(response), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/health/cache")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/nothing-here")).StatusCode);

        using var wrong = new HttpClient { BaseAddress = server.Address };
        wrong.DefaultRequestHeaders.Add("X-API-Key", PreparedProject.Secret("acme") + "x");
        using (var response = await wrong.GetAsync("/api/v1/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain(PreparedProject.Secret("acme"), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var byHeader = new HttpClient { BaseAddress = server.Address };
        byHeader.DefaultRequestHeaders.Add("X-API-Key", PreparedProject.Secret("globex"));
        Assert.Equal(HttpStatusCode.OK, (await byHeader.GetAsync("/api/v1/metrics")).StatusCode);

        using var tenant = PreparedProject.Client(server, "acme");
        foreach (var path in new[] { "/api/v1/runs", "/api/v1/checks", "/api/v1/sync", "/api/v1/status", "/metrics", "/health/cache", "/health/dependencies" })
        {
            using var response = await tenant.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode}");
            Assert.Contains("admin key", await ProblemDetailAsync(response), StringComparison.Ordinal);
        }

        using var admin = PreparedProject.Client(server, "ops");
        foreach (var path in new[] { "/api/v1/runs", "/api/v1/checks", "/api/v1/sync", "/api/v1/status", "/metrics", "/health/cache", "/health/dependencies" })
        {
            using var response = await admin.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
    }
}
