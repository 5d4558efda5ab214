using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Sluice.Server.Tests;

/// <summary>
/// A benchmark whose entities are tenants shows a tenant key no peers unless it declares
/// <c>peers: cross_tenant</c>, and then only quartiles over at least min_peers other tenants.
/// </summary>
public abstract class TenantBenchmarkTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : PreparedProject
{
    private const string Observer = OtherTenants.Observer;
    private const string Range = "from=2025-01-01&to=2025-03-31";
    private static readonly ServeSettings Settings = OtherTenants.Settings;

    [Fact]
    public async Task A_tenant_key_sees_no_peer_tenants_unless_the_benchmark_is_cross_tenant_and_then_only_quartiles_of_enough_of_them()
    {
        await using (var server = await project.StartAsync(Settings))
        {
            using var tenant = PreparedProject.Client(server, Observer);
            var own = await GetAsync(tenant, $"/api/v1/benchmarks/outcome_vs_peers?{Range}&entity=acme&by=industry");
            var peers = own.GetProperty("peers");
            Assert.Equal(("tenant", 0L), (peers.GetProperty("scope").GetString(), peers.GetProperty("count").GetInt64()));
            Assert.Equal(JsonValueKind.Null, peers.GetProperty("median").ValueKind);
            Assert.Contains("peers: cross_tenant", peers.GetProperty("withheld").GetString(), StringComparison.Ordinal);
            Expected.Near(AnalyticsData.Scores.Where(s => s.CompanyId == Observer && s.CreatedAt < new DateTime(2025, 4, 1)).Average(s => s.Score), own.GetProperty("value"), "acme's value");

            // Two other tech tenants are fewer than min_peers (5): nothing about them is shown.
            var across = (await GetAsync(tenant, $"/api/v1/benchmarks/outcome_across_tenants?{Range}&entity=acme")).GetProperty("peers");
            Assert.Equal("cross_tenant", across.GetProperty("scope").GetString());
            Assert.All(new[] { "count", "p25", "median", "p75" }, p => Assert.Equal(JsonValueKind.Null, across.GetProperty(p).ValueKind));
            Assert.Contains("fewer than 5 peers", across.GetProperty("withheld").GetString(), StringComparison.Ordinal);

            using var admin = PreparedProject.Client(server, "ops");
            var all = (await GetAsync(admin, $"/api/v1/benchmarks/outcome_vs_peers?{Range}&entity=acme&by=industry")).GetProperty("peers");
            Assert.Equal(("all", 2L), (all.GetProperty("scope").GetString(), all.GetProperty("count").GetInt64()));
            Assert.Equal(JsonValueKind.Null, all.GetProperty("withheld").ValueKind);

            // Entities within a tenant: a tenant key's peers are its own doctors of the specialty,
            // figured from its own rows; an admin's are every tenant's.
            foreach (var (client, company, scope) in new[] { (tenant, (string?)Observer, "tenant"), (admin, null, "all") })
            {
                var doctors = await GetAsync(client, $"/api/v1/benchmarks/fee_vs_doctors?{Range}&entity=Dr%20Ames");
                var doctorPeers = doctors.GetProperty("peers");
                Expected.Near(Fee(company, "Dr Ames"), doctors.GetProperty("value"), $"{scope}: Dr Ames");
                Assert.Equal((scope, 1L), (doctorPeers.GetProperty("scope").GetString(), doctorPeers.GetProperty("count").GetInt64()));
                Expected.Near(Fee(company, "Dr Bell"), doctorPeers.GetProperty("median"), $"{scope}: Dr Bell");
                Assert.Equal(JsonValueKind.Null, doctorPeers.GetProperty("withheld").ValueKind);
            }
        }

        await project.ChangeAndBuildAsync(OtherTenants.ChangeAsync);
        var expected = await PeerValuesAsync();
        Assert.Equal(OtherTenants.NewTenants.Length + 1, expected.Count);

        await using (var server = await project.StartAsync(Settings))
        {
            using var tenant = PreparedProject.Client(server, Observer);
            using var admin = PreparedProject.Client(server, "ops");
            foreach (var (client, scope) in new[] { (tenant, "cross_tenant"), (admin, "all") })
            {
                var answer = await GetAsync(client, $"/api/v1/benchmarks/outcome_across_tenants?{Range}&entity=acme");
                var peers = answer.GetProperty("peers");
                Assert.Equal((scope, (long)expected.Count), (peers.GetProperty("scope").GetString(), peers.GetProperty("count").GetInt64()));
                Expected.Near(Expected.Percentile(expected, 0.25), peers.GetProperty("p25"), $"{scope} p25");
                Expected.Near(Expected.Percentile(expected, 0.5), peers.GetProperty("median"), $"{scope} median");
                Expected.Near(Expected.Percentile(expected, 0.75), peers.GetProperty("p75"), $"{scope} p75");
                Assert.Equal("tech", answer.GetProperty("group").GetString());
            }

            // Across tenants too, a tenant key benchmarks itself only.
            using var other = await tenant.GetAsync($"/api/v1/benchmarks/outcome_across_tenants?{Range}&entity=globex");
            Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        }
    }

    // A doctor's mean fee in the range (all of it), in one company's appointments or in all.
    private static double Fee(string? company, string doctor) =>
        (double)AnalyticsData.Appointments.Where(a => (company is null || a.CompanyId == company) && a.DoctorName == doctor).Average(a => a.Fee);

    // The other tech tenants' mean scores in the range, from the raw rows.
    private async Task<List<double>> PeerValuesAsync()
    {
        var values = new List<double>();
        await project.WithSessionAsync(async session =>
        {
            await using var reader = await session.QueryAsync(
                $"""
                select avg(score) from raw.scores
                where company_id in (select company_id from raw.companies where industry = 'tech') and company_id <> '{Observer}'
                    and created_at >= timestamp '2025-01-01 00:00:00' and created_at < timestamp '2025-04-01 00:00:00'
                group by company_id
                """);
            while (await reader.ReadAsync())
            {
                values.Add(Convert.ToDouble(reader.GetValue(0), CultureInfo.InvariantCulture));
            }
        });
        return values;
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}

public sealed class DuckDbTenantBenchmarkTests(DuckDbPreparedProject project) : TenantBenchmarkTests<DuckDbPreparedProject>(project);

public sealed class PostgresTenantBenchmarkTests(PostgresPreparedProject project) : TenantBenchmarkTests<PostgresPreparedProject>(project);

public sealed class ClickHouseTenantBenchmarkTests(ClickHousePreparedProject project) : TenantBenchmarkTests<ClickHousePreparedProject>(project);
