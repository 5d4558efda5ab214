using System.Globalization;
using System.Net;
using System.Text.Json;
using Sluice.Core.Graph;
using Sluice.Core.Project;
using Sluice.Models.Run;
using Sluice.Models.State;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Server.Tests;

/// <summary>
/// The analytics project with a partitioned model, fct_daily_scores, built for three days in a
/// build where broken_scores failed and after_broken_scores, which reads it, was skipped; then
/// fct_daily_scores asked for the same days again: three SKIPPED runs, ALREADY_BUILT, are the
/// newest rows of the history, served.
/// </summary>
public abstract class AskedAgainProject : ServedProject
{
    public const int Days = 3;

    protected override async Task BeforeServingAsync()
    {
        await File.WriteAllTextAsync(ModelPath("fct_daily_scores"), """
            {{ config(materialized='incremental', partition_by='d') }}
            select cast(created_at as date) as d, count(*) as scores
            from {{ source('app', 'scores') }}
            where created_at >= cast('{{ partition_start }}' as timestamp) and created_at < cast('{{ partition_end }}' as timestamp)
            group by 1
            """);
        await File.WriteAllTextAsync(ModelPath("broken_scores"), "select no_such_column from {{ source('app', 'scores') }}\n");
        await File.WriteAllTextAsync(ModelPath("after_broken_scores"), "select * from {{ ref('broken_scores') }}\n");

        var build = await BuildAsync("");
        Assert.Equal(JobStatus.Failed, build.Single(r => r.Name == "broken_scores").Status);
        Assert.Equal(JobStatus.Skipped, build.Single(r => r.Name == "after_broken_scores").Status);
        var again = Assert.Single(await BuildAsync("fct_daily_scores"));
        Assert.True((again.Status, again.PartitionsBuilt, again.PartitionsSkipped) == (JobStatus.Success, 0, Days), $"{again.Status} {again.Error}");
    }

    private string ModelPath(string name) => Path.Combine(ProjectDirectory, "models", name + ".sql");

    private async Task<IReadOnlyList<NodeResult>> BuildAsync(string select)
    {
        var parsed = Parse(ProjectDirectory);
        var project = ProjectLoader.Load(ProjectDirectory, _ => null);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        var options = new RunOptions { From = AnalyticsData.Start, To = AnalyticsData.Start.AddDays(Days - 1), Threads = 2 };
        return await new ModelRunner(parsed, warehouse).RunAsync(NodeSelector.Select(parsed.Graph, select.Length == 0 ? [] : [select], []), options, new SilentRun(), CancellationToken.None);
    }
}

public sealed class DuckDbAskedAgainProject : AskedAgainProject
{
    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresAskedAgainProject : AskedAgainProject
{
    protected override async Task<string?> ProfilesAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.DbtProfilesAsync("analytics");
    }
}

/// <summary>
/// Partitions left alone because they were built before are SKIPPED runs told apart from runs
/// skipped because of a failure upstream: in the runs API, the status, readiness and /metrics.
/// </summary>
public abstract class AlreadyBuiltRunsTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : AskedAgainProject
{
    [Fact]
    public async Task The_runs_api_says_why_each_skipped_run_was_skipped()
    {
        var skipped = (await project.GetAsync("/api/v1/runs?status=skipped&limit=500")).GetProperty("items").EnumerateArray()
            .Select(r => $"{r.GetProperty("job_name").GetString()} {r.GetProperty("target_date")} {r.GetProperty("skip_reason").GetString()}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "after_broken_scores  UPSTREAM",
                .. Enumerable.Range(0, AskedAgainProject.Days).Select(i => $"fct_daily_scores {ServedProject.Day(AnalyticsData.Start.AddDays(i))} ALREADY_BUILT"),
            ],
            skipped);
    }

    [Fact]
    public async Task Status_counts_already_built_partitions_apart_and_the_upstream_skip_needs_attention()
    {
        var status = await project.GetAsync("/api/v1/status?days=30");

        var latest = status.GetProperty("invocations")[0];
        Assert.Equal((AskedAgainProject.Days, 0, 0, AskedAgainProject.Days), (latest.GetProperty("runs").GetInt32(), latest.GetProperty("succeeded").GetInt32(), latest.GetProperty("skipped").GetInt32(), latest.GetProperty("already_built").GetInt32()));
        var build = status.GetProperty("invocations")[1];
        Assert.Equal((1, 1, 0), (build.GetProperty("failed").GetInt32(), build.GetProperty("skipped").GetInt32(), build.GetProperty("already_built").GetInt32()));

        var resources = status.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        // The days asked for again are not fct_daily_scores' latest run: they changed nothing.
        // (It may need attention all the same, for the days of the status's range never built.)
        var scores = resources["fct_daily_scores"].GetProperty("last_run");
        Assert.Equal(("SUCCESS", JsonValueKind.Null), (scores.GetProperty("status").GetString(), scores.GetProperty("skip_reason").ValueKind));
        var after = resources["after_broken_scores"];
        Assert.True(after.GetProperty("needs_attention").GetBoolean());
        Assert.Equal(("SKIPPED", "UPSTREAM"), (after.GetProperty("last_run").GetProperty("status").GetString(), after.GetProperty("last_run").GetProperty("skip_reason").GetString()));
    }

    [Fact]
    public async Task Asking_again_for_built_days_does_not_make_a_failed_build_ready()
    {
        using var response = await project.Client.GetAsync("/health/ready");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("failed", body.GetProperty("last_build").GetString());
    }

    [Fact]
    public async Task Prometheus_labels_skipped_runs_with_their_reason()
    {
        using var response = await project.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var (exit, output) = await ObservabilityTests.PromtoolAsync(text);
        Assert.True(exit == 0, $"promtool check metrics failed: {output}");
        var samples = text.Split('\n')
            .Where(l => l.StartsWith("sluice_job_runs_total{", StringComparison.Ordinal))
            .ToDictionary(l => l[..l.LastIndexOf(' ')], l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

        Assert.Equal(AskedAgainProject.Days, samples["sluice_job_runs_total{job=\"fct_daily_scores\",status=\"SKIPPED\",skip_reason=\"ALREADY_BUILT\"}"]);
        Assert.Equal(AskedAgainProject.Days, samples["sluice_job_runs_total{job=\"fct_daily_scores\",status=\"SUCCESS\"}"]);
        Assert.Equal(1, samples["sluice_job_runs_total{job=\"after_broken_scores\",status=\"SKIPPED\",skip_reason=\"UPSTREAM\"}"]);
        Assert.Equal(1, samples["sluice_job_runs_total{job=\"broken_scores\",status=\"FAILED\"}"]);
    }
}

public sealed class DuckDbAlreadyBuiltRunsTests(DuckDbAskedAgainProject project) : AlreadyBuiltRunsTests<DuckDbAskedAgainProject>(project);

public sealed class PostgresAlreadyBuiltRunsTests(PostgresAskedAgainProject project) : AlreadyBuiltRunsTests<PostgresAskedAgainProject>(project);
