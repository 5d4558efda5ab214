using System.Text.Json;

namespace Sluice.Server.Tests;

/// <summary>A build changes the data version, so no answer cached before it is served after it.</summary>
public sealed class CacheFreshnessTests(PostgresServedProject project) : IClassFixture<PostgresServedProject>
{
    private const string Path = "/api/v1/metrics/outcome_score/trend?granularity=month&from=2025-01-01&to=2025-01-31&filter[company_id]=acme";

    [Fact]
    public async Task After_a_build_the_cached_answer_is_replaced_by_the_new_data()
    {
        var before = await project.GetAsync(Path);
        var cached = await project.GetAsync(Path);
        Assert.Equal("hit", cached.GetProperty("meta").GetProperty("cache").GetString());
        var acmeJanuary = AnalyticsData.Scores.Count(s => s.CompanyId == "acme" && s.CreatedAt.Month == 1);
        Assert.Equal(acmeJanuary, Count(before));

        await project.ChangeAndBuildAsync(session => session.ExecuteAsync(
            "insert into raw.scores (id, company_id, program, dimension, created_at, score, note) select 100000 + i, 'acme', 'mentoring', 'confidence', timestamp '2025-01-15 10:00:00', 50, 'late' from generate_series(1, 10) as i"));
        var after = await project.GetAsync(Path);

        Assert.Equal(acmeJanuary + 10, Count(after));
        Assert.Equal("miss", after.GetProperty("meta").GetProperty("cache").GetString());
        Assert.NotEqual(before.GetProperty("meta").GetProperty("data_version").GetString(), after.GetProperty("meta").GetProperty("data_version").GetString());
        Assert.Equal("hit", (await project.GetAsync(Path)).GetProperty("meta").GetProperty("cache").GetString());
    }

    private static long Count(JsonElement body) => body.GetProperty("periods")[0].GetProperty("count").GetInt64();
}
