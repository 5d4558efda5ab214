using System.Net;
using Sluice.Core.Project;

namespace Sluice.Server.Tests;

/// <summary>A built project, not served: each test writes a metrics.yml and starts a server on it.</summary>
public sealed class BuiltProject : IAsyncLifetime
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sluice-serve-check-").FullName;

    public Task InitializeAsync() => ServedProject.PrepareAsync(Directory, null);

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>Definitions the warehouse cannot serve stop the server before it listens, with metrics.yml's line.</summary>
public sealed class StartupValidationTests(BuiltProject project) : IClassFixture<BuiltProject>
{
    [Theory]
    [InlineData("metrics:\n  - name: bad\n    model: fct_outcome_scores\n    time: created\n    measure: {agg: count}\n", "column 'created' is not in")]
    [InlineData("metrics:\n  - name: bad\n    model: fct_outcome_scores\n    time: created_at\n    measure: {agg: count}\n    dimensions: [program, country]\n", "dimension: column 'country' is not in")]
    [InlineData("metrics:\n  - name: bad\n    model: fct_outcome_scores\n    time: created_at\n    measure: {agg: sum, expr: scroe * 2}\n", "does not compile against")]
    [InlineData("metrics:\n  - name: bad\n    model: fct_outcome_scores\n    time: created_at\n    measure: {agg: avg, expr: program}\n", "does not compile against")]
    [InlineData("metrics:\n  - name: bad\n    model: fct_outcome_scores\n    time: program\n    measure: {agg: count}\n", "it must be a date or a timestamp")]
    [InlineData("tenant: {column: org_id}\nmetrics:\n  - name: bad\n    model: fct_outcome_scores\n    time: created_at\n    measure: {agg: count}\n", "which has no column 'org_id'")]
    [InlineData("metrics:\n  - name: bad\n    model: fct_not_built\n    time: created_at\n    measure: {agg: count}\n", "does not exist in the warehouse")]
    [InlineData("funnels:\n  - name: bad\n    model: fct_user_events\n    entity: user_id\n    time: occurred_at\n    step: {column: event, values: [a, b]}\n", "step.column: column 'event' is not in")]
    [InlineData("metrics:\n  - name: m\n    model: fct_outcome_scores\n    time: created_at\n    measure: {agg: count}\nbenchmarks:\n  - name: bad\n    metric: m\n    entity: company_id\n    peer_groups: {industry: \"ref('dim_company').industry\"}\n", "counts rows")]
    [InlineData("metrics:\n  - name: m\n    model: fct_outcome_scores\n    time: created_at\n    measure: {agg: avg, expr: score}\nbenchmarks:\n  - name: bad\n    metric: m\n    entity: company_id\n    peer_groups: {industry: \"ref('dim_company').sector\"}\n", "column 'sector' is not in")]
    [InlineData("expose:\n  - model: fct_appointments\n    filters: [limit]\n", "has the name of a parameter")]
    [InlineData("tenant: {column: company_id}\nmetrics:\n  - name: m\n    model: fct_outcome_scores\n    time: created_at\n    measure: {agg: avg, expr: score}\n    dimensions: [program]\nbenchmarks:\n  - name: bad\n    metric: m\n    entity: program\n    peer_groups: {industry: \"ref('dim_company').industry\"}\n    peers: cross_tenant\n", "its entity must be the tenant column 'company_id', not 'program'")]
    [InlineData("metrics:\n  - name: m\n    model: fct_outcome_scores\n    time: created_at\n    measure: {agg: avg, expr: score}\nbenchmarks:\n  - name: bad\n    metric: m\n    entity: company_id\n    peer_groups: {industry: \"ref('dim_company').industry\"}\n    peers: cross_tenant\n", "needs metrics.yml's tenant column")]
    public async Task A_definition_the_warehouse_cannot_serve_stops_the_start_at_its_line(string yaml, string message)
    {
        File.WriteAllText(Path.Combine(project.Directory, "metrics.yml"), yaml);
        File.WriteAllText(Path.Combine(project.Directory, "models", "fct_not_built.sql"), "select 1 as created_at");
        try
        {
            var error = await Assert.ThrowsAsync<ConfigurationException>(() => SluiceServer.StartAsync(ServedProject.Parse(project.Directory), new ServeSettings(Port: 0)));

            var line = yaml.Split('\n').ToList().FindIndex(l => l.Contains("name: bad", StringComparison.Ordinal) || l.Contains("- model:", StringComparison.Ordinal)) + 1;
            Assert.StartsWith(Path.Combine(project.Directory, "metrics.yml") + $":{line}:", error.Message, StringComparison.Ordinal);
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(Path.Combine(project.Directory, "models", "fct_not_built.sql"));
        }
    }

    [Fact]
    public async Task A_failed_start_leaves_the_warehouse_free_for_the_next()
    {
        File.WriteAllText(Path.Combine(project.Directory, "metrics.yml"), "metrics:\n  - name: bad\n    model: fct_outcome_scores\n    time: nope\n    measure: {agg: count}\n");
        await Assert.ThrowsAsync<ConfigurationException>(() => SluiceServer.StartAsync(ServedProject.Parse(project.Directory), new ServeSettings(Port: 0)));

        File.WriteAllText(Path.Combine(project.Directory, "metrics.yml"), "metrics:\n  - name: good\n    model: fct_outcome_scores\n    time: created_at\n    measure: {agg: count}\n");
        await using var server = await SluiceServer.StartAsync(ServedProject.Parse(project.Directory), new ServeSettings(Port: 0));
        using var client = new HttpClient { BaseAddress = server.Address };
        using var response = await client.GetAsync("/api/v1/metrics/good/trend?granularity=month&from=2025-01-01&to=2025-01-31");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"\"value\":{AnalyticsData.Scores.Count(s => s.CreatedAt.Month == 1)}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.10")]
    [InlineData("example.com")]
    public async Task Without_keys_the_server_refuses_any_address_but_loopback(string host)
    {
        File.Delete(Path.Combine(project.Directory, "metrics.yml"));
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => SluiceServer.StartAsync(ServedProject.Parse(project.Directory), new ServeSettings(host, 0)));

        Assert.Contains(host, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_keys_the_server_may_listen_on_every_address_and_tenant_keys_need_a_tenant_column()
    {
        File.WriteAllText(Path.Combine(project.Directory, "metrics.yml"), "metrics:\n  - name: good\n    model: fct_outcome_scores\n    time: created_at\n    measure: {agg: count}\n");
        var tenantKey = PreparedProject.Key("acme", "acme");
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => SluiceServer.StartAsync(ServedProject.Parse(project.Directory), new ServeSettings(Port: 0) { ApiKeys = [tenantKey] }));
        Assert.Contains("API key 'acme' is for tenant 'acme', but metrics.yml declares no tenant column", error.Message, StringComparison.Ordinal);

        await using var server = await SluiceServer.StartAsync(ServedProject.Parse(project.Directory), new ServeSettings("0.0.0.0", 0) { ApiKeys = [PreparedProject.Key("ops", null)] });
        using var client = PreparedProject.Client(server, "ops");
        client.BaseAddress = new Uri($"http://127.0.0.1:{server.Address.Port}");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/metrics")).StatusCode);
    }
}

/// <summary>A dashboard that cannot be drawn stops the server before it listens, at the dashboard's line.</summary>
public sealed class DashboardStartupTests(BuiltProject project) : IClassFixture<BuiltProject>
{
    [Theory]
    [InlineData("panels:\n  - {title: S, type: line, metric: outcome_scor, x: 0, y: 0, w: 6, h: 4}\n", 2, "there is no metric 'outcome_scor'")]
    [InlineData("panels:\n  - {title: S, type: line, metric: outcome_score, x: 0, y: 0, w: 6, h: 4}\n  - {title: T, type: bar, metric: assessments, x: 3, y: 2, w: 6, h: 4}\n", 3, "overlaps panel 's' on line 2")]
    [InlineData("panels:\n  - {title: S, type: table, model: fct_appointments, columns: [fee, tip], x: 0, y: 0, w: 6, h: 4}\n", 2, "columns names 'tip', which the table does not have")]
    public async Task A_dashboard_that_cannot_be_drawn_stops_the_start_at_its_line(string yaml, int line, string message)
    {
        var folder = Path.Combine(project.Directory, "dashboards");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "broken.yml");
        File.WriteAllText(path, yaml);
        try
        {
            var error = await Assert.ThrowsAsync<ConfigurationException>(() => SluiceServer.StartAsync(ServedProject.Parse(project.Directory), new ServeSettings(Port: 0)));

            Assert.StartsWith($"{path}:{line}:", error.Message, StringComparison.Ordinal);
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
