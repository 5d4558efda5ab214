using System.Net;
using System.Text.Json;

namespace Sluice.Server.Tests;

/// <summary>What the web app's pipeline pages read: the lineage, a model's page, parity, budgets and the server's own counts.</summary>
public sealed class PipelinePagesApiTests(DuckDbServedProject project) : IClassFixture<DuckDbServedProject>
{
    [Fact]
    public async Task The_lineage_links_each_model_to_the_sources_and_models_it_reads()
    {
        var body = await project.GetAsync("/api/v1/lineage");

        var nodes = body.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!);
        Assert.Equal(["app.appointments", "app.companies", "app.events", "app.scores"], nodes.Values.Where(n => n.GetProperty("kind").GetString() == "source").Select(n => n.GetProperty("name").GetString()));
        var scores = nodes["fct_outcome_scores"];
        Assert.Equal(("model", "table"), (scores.GetProperty("kind").GetString(), scores.GetProperty("materialized").GetString()));
        Assert.Equal(["app.scores"], Strings(scores.GetProperty("upstream")));
        Assert.Equal(["fct_outcome_scores"], Strings(nodes["app.scores"].GetProperty("downstream")));
        Assert.Equal("raw.scores", nodes["app.scores"].GetProperty("table").GetString());
    }

    [Fact]
    public async Task A_model_page_has_its_sql_as_written_and_compiled_and_its_columns_from_the_warehouse()
    {
        var body = await project.GetAsync("/api/v1/models/fct_outcome_scores");

        var written = await File.ReadAllTextAsync(Path.Combine(project.ProjectDirectory, "models", "fct_outcome_scores.sql"));
        Assert.Equal(written, body.GetProperty("sql").GetString());
        var compiled = body.GetProperty("compiled_sql").GetString()!;
        Assert.Contains("from \"raw\".\"scores\"", compiled, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", compiled, StringComparison.Ordinal);
        Assert.Equal(["id", "company_id", "program", "dimension", "created_at", "score", "note"],
            body.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.All(body.GetProperty("columns").EnumerateArray(), c => Assert.False(string.IsNullOrEmpty(c.GetProperty("type").GetString())));
        Assert.Equal("fct_outcome_scores", body.GetProperty("node").GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_pointing_at_the_lineage()
    {
        var problem = await project.ProblemAsync("/api/v1/models/fct_nothing", HttpStatusCode.NotFound);

        Assert.Equal("There is no model, seed or snapshot 'fct_nothing'; GET /api/v1/lineage lists them.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Parity_and_budgets_are_pages_of_history()
    {
        foreach (var path in new[] { "/api/v1/parity?source=app&limit=5", "/api/v1/budgets?limit=5" })
        {
            var page = await project.GetAsync(path);
            Assert.Equal((5, 0), (page.GetProperty("limit").GetInt32(), page.GetProperty("offset").GetInt32()));
            Assert.Equal(page.GetProperty("items").GetArrayLength(), page.GetProperty("total").GetInt64());
        }
    }

    [Fact]
    public async Task The_servers_counts_show_each_route_and_the_caches_hits()
    {
        var trend = "/api/v1/metrics/assessments/trend?from=2025-01-01&to=2025-01-31&granularity=week";
        await project.GetAsync(trend);
        await project.GetAsync(trend);

        var body = await project.GetAsync("/api/v1/server");

        var route = Assert.Single(body.GetProperty("requests").EnumerateArray(), r => r.GetProperty("route").GetString() == "/api/v1/metrics/{name}/trend" && r.GetProperty("status").GetInt32() == 200);
        Assert.True(route.GetProperty("count").GetInt64() >= 2);
        Assert.True(route.GetProperty("p95_seconds").GetDouble() >= route.GetProperty("p50_seconds").GetDouble());
        var cache = Assert.Single(body.GetProperty("cache").EnumerateArray(), c => c.GetProperty("endpoint").GetString() == "trend");
        Assert.True(cache.GetProperty("hits").GetInt64() >= 1 && cache.GetProperty("misses").GetInt64() >= 1, cache.GetRawText());
    }

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
