using System.Text.Json.Nodes;

namespace Sluice.Server.Tests;

/// <summary>
/// A tenant key's answers are a function of its tenant's rows alone: every other tenant's rows
/// change, and each answer the tenant got before comes back the same, while an admin's answers
/// change.
/// </summary>
public abstract class TenantAnswerTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : PreparedProject
{
    private const string Observer = OtherTenants.Observer;
    private const string Range = "from=2025-01-01&to=2025-03-31";
    private static readonly ServeSettings Settings = OtherTenants.Settings;

    // Every endpoint family a tenant key may call, with the requests an admin's answer to must change.
    private static readonly (string Family, string Path, bool AdminChanges)[] Requests =
    [
        ("trend", $"/api/v1/metrics/outcome_score/trend?{Range}&group_by=program", true),
        ("trend", $"/api/v1/metrics/outcome_score/trend?{Range}&group_by=company_id&filter[company_id]=globex", true),
        ("trend", $"/api/v1/metrics/assessments/trend?{Range}&granularity=month", true),
        ("trend", $"/api/v1/metrics/score_p90/trend?{Range}&granularity=total", true),
        ("trend", $"/api/v1/metrics/visit_fee/trend?{Range}&group_by=doctor_name", true),
        ("cohorts", $"/api/v1/metrics/outcome_score/cohorts?{Range}&by=program", true),
        ("cohorts", $"/api/v1/metrics/outcome_score/cohorts?{Range}&by=company_id&cohorts=acme,globex,hooli", true),
        ("funnel", $"/api/v1/funnels/program_journey?{Range}", true),
        ("funnel", $"/api/v1/funnels/program_journey?{Range}&filter[channel]=web", true),
        ("benchmark", $"/api/v1/benchmarks/outcome_vs_peers?{Range}&entity=acme&by=industry", true),
        ("benchmark", $"/api/v1/benchmarks/outcome_vs_peers?{Range}&entity=acme&by=region", true),
        ("benchmark", $"/api/v1/benchmarks/fee_vs_doctors?{Range}&entity=Dr%20Ames", true),
        ("benchmark", $"/api/v1/benchmarks/fee_vs_doctors?{Range}&entity=Dr%20Zed", true),
        ("rows", "/api/v1/models/fct_appointments/rows?limit=1000", true),
        ("rows", "/api/v1/models/fct_appointments/rows?doctor_name=Dr%20Zed", true),
        ("counts", "/api/v1/meta/counts", true),
        ("catalog", "/api/v1/metrics", false),
    ];

    [Fact]
    public async Task A_tenant_keys_answers_do_not_change_when_only_other_tenants_rows_change()
    {
        var (tenantBefore, adminBefore) = await AnswersAsync();
        await project.ChangeAndBuildAsync(OtherTenants.ChangeAsync);
        var (tenantAfter, adminAfter) = await AnswersAsync();

        foreach (var (family, path, adminChanges) in Requests)
        {
            Assert.True(tenantBefore[path] == tenantAfter[path], $"{family}: {Observer}'s answer to {path} changed with other tenants' rows:\nbefore {tenantBefore[path]}\nafter  {tenantAfter[path]}");
            if (adminChanges)
            {
                Assert.True(adminBefore[path] != adminAfter[path], $"{family}: the change of other tenants' rows did not reach an admin's answer to {path}, so it proves nothing: {adminAfter[path]}");
            }
        }

        // Each family answered the tenant at least once with figures, not only with problems.
        Assert.Equal(Requests.Select(r => r.Family).Distinct(), Requests.Where(r => tenantAfter[r.Path].StartsWith("200 ", StringComparison.Ordinal)).Select(r => r.Family).Distinct());
    }

    // Each request's status and body, without what is not the answer: meta (cache, data version, time) and request and trace ids.
    private async Task<(Dictionary<string, string> Tenant, Dictionary<string, string> Admin)> AnswersAsync()
    {
        await using var server = await project.StartAsync(Settings);
        using var tenant = PreparedProject.Client(server, Observer);
        using var admin = PreparedProject.Client(server, "ops");
        var tenantAnswers = new Dictionary<string, string>(StringComparer.Ordinal);
        var adminAnswers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, path, _) in Requests)
        {
            tenantAnswers[path] = await AnswerAsync(tenant, path);
            adminAnswers[path] = await AnswerAsync(admin, path);
        }

        return (tenantAnswers, adminAnswers);
    }

    private static async Task<string> AnswerAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"GET {path}: {(int)response.StatusCode} {body}");
        var json = JsonNode.Parse(body);
        if (json is JsonObject answer)
        {
            answer.Remove("meta");
            answer.Remove("request_id");
            answer.Remove("trace_id");
        }

        return $"{(int)response.StatusCode} {Expected.Rounded(json)?.ToJsonString()}";
    }
}

public sealed class DuckDbTenantAnswerTests(DuckDbPreparedProject project) : TenantAnswerTests<DuckDbPreparedProject>(project);

public sealed class PostgresTenantAnswerTests(PostgresPreparedProject project) : TenantAnswerTests<PostgresPreparedProject>(project);

public sealed class ClickHouseTenantAnswerTests(ClickHousePreparedProject project) : TenantAnswerTests<ClickHousePreparedProject>(project);
