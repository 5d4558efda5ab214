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
/// The analytics project with a partitioned model, fct_daily_scores, built for five days and then
/// fully refreshed, beside a model that failed once (broken_scores): five superseded runs, five
/// current ones and one real failure, served.
/// </summary>
public abstract class FullRefreshedProject : ServedProject
{
    public const int Days = 5;

    private const string DailyScores = """
        {{ config(materialized='incremental', partition_by='d') }}
        select cast(created_at as date) as d, count(*) as scores
        from {{ source('app', 'scores') }}
        where created_at >= cast('{{ partition_start }}' as timestamp) and created_at < cast('{{ partition_end }}' as timestamp)
        group by 1
        """;

    /// <summary>The analytics project's own models, each built in one run by every build of them all.</summary>
    public int ProjectModels { get; private set; }

    protected override async Task BeforeServingAsync()
    {
        ProjectModels = Directory.GetFiles(Path.Combine(ProjectDirectory, "models"), "*.sql", SearchOption.AllDirectories).Length;
        await File.WriteAllTextAsync(ModelPath("fct_daily_scores"), DailyScores);
        await File.WriteAllTextAsync(ModelPath("broken_scores"), "select no_such_column from {{ source('app', 'scores') }}\n");

        var build = await BuildAsync("", fullRefresh: false);
        Assert.All(build, r => Assert.True(r.Status == (r.Name == "broken_scores" ? JobStatus.Failed : JobStatus.Success), $"{r.Name}: {r.Status} {r.Error}"));
        var refresh = Assert.Single(await BuildAsync("fct_daily_scores", fullRefresh: true));
        Assert.True((refresh.Status, refresh.PartitionsBuilt) == (JobStatus.Success, Days), $"{refresh.Status} {refresh.Error}");
    }

    /// <summary>Makes fct_daily_scores fail in every partition and fully refreshes it, from outside the server (PostgreSQL only).</summary>
    public async Task BreakAndRefreshAsync()
    {
        await File.WriteAllTextAsync(ModelPath("fct_daily_scores"), DailyScores.Replace("count(*)", "count(no_such_column)", StringComparison.Ordinal));
        var refresh = Assert.Single(await BuildAsync("fct_daily_scores", fullRefresh: true));
        Assert.Equal(JobStatus.Failed, refresh.Status);
    }

    private string ModelPath(string name) => Path.Combine(ProjectDirectory, "models", name + ".sql");

    private async Task<IReadOnlyList<NodeResult>> BuildAsync(string select, bool fullRefresh)
    {
        var parsed = Parse(ProjectDirectory);
        var project = ProjectLoader.Load(ProjectDirectory, _ => null);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        var options = new RunOptions { From = AnalyticsData.Start, To = AnalyticsData.Start.AddDays(Days - 1), FullRefresh = fullRefresh, Threads = 2 };
        return await new ModelRunner(parsed, warehouse).RunAsync(NodeSelector.Select(parsed.Graph, select.Length == 0 ? [] : [select], []), options, new SilentRun(), CancellationToken.None);
    }
}

public sealed class DuckDbFullRefreshedProject : FullRefreshedProject
{
    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresFullRefreshedProject : FullRefreshedProject
{
    protected override async Task<string?> ProfilesAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.DbtProfilesAsync("analytics");
    }
}

/// <summary>After a full refresh, the API and /metrics count real failures only and show which runs it superseded.</summary>
public abstract class FullRefreshHistoryTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : FullRefreshedProject
{
    [Fact]
    public async Task Runs_list_the_superseded_runs_as_successes_marked_by_the_full_refresh_and_failed_ones_are_real_failures()
    {
        var failed = await project.GetAsync("/api/v1/runs?status=failed");
        Assert.Equal(1, failed.GetProperty("total").GetInt64());
        Assert.Equal("broken_scores", failed.GetProperty("items")[0].GetProperty("job_name").GetString());

        var runs = (await project.GetAsync("/api/v1/runs?job=fct_daily_scores&limit=500")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2 * FullRefreshedProject.Days, runs.Count);
        Assert.All(runs, r => Assert.Equal("SUCCESS", r.GetProperty("status").GetString()));
        var current = runs.Where(r => r.GetProperty("superseded_by").ValueKind == JsonValueKind.Null).ToList();
        var superseded = runs.Where(r => r.GetProperty("superseded_by").ValueKind == JsonValueKind.String).ToList();
        Assert.Equal((FullRefreshedProject.Days, FullRefreshedProject.Days), (current.Count, superseded.Count));
        var refresh = Assert.Single(current.Select(r => r.GetProperty("invocation_id").GetString()).Distinct());
        Assert.All(superseded, r => Assert.Equal(refresh, r.GetProperty("superseded_by").GetString()));
        Assert.All(superseded, r => Assert.NotEqual(refresh, r.GetProperty("invocation_id").GetString()));
        Assert.Equal(
            Enumerable.Range(0, FullRefreshedProject.Days).Select(i => ServedProject.Day(AnalyticsData.Start.AddDays(i))),
            superseded.Select(r => r.GetProperty("target_date").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Status_and_readiness_count_only_the_real_failure()
    {
        var status = await project.GetAsync("/api/v1/status?days=30");

        var failure = Assert.Single(status.GetProperty("failures").EnumerateArray());
        Assert.Equal("broken_scores", failure.GetProperty("job_name").GetString());
        var invocations = status.GetProperty("invocations").EnumerateArray().ToList();
        Assert.Equal([0, 1, 0], invocations.Select(i => i.GetProperty("failed").GetInt32()));
        Assert.Equal([FullRefreshedProject.Days, FullRefreshedProject.Days + project.ProjectModels, project.ProjectModels], invocations.Select(i => i.GetProperty("succeeded").GetInt32()));
        var scores = status.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "fct_daily_scores");
        Assert.Equal(JsonValueKind.Null, scores.GetProperty("last_run").GetProperty("superseded_by").ValueKind);
        Assert.Equal(JsonValueKind.Null, scores.GetProperty("last_success").GetProperty("superseded_by").ValueKind);

        Assert.Equal("ready", (await project.GetAsync("/health/ready")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Prometheus_counts_superseded_runs_as_successes_and_failures_only_where_runs_failed()
    {
        using var response = await project.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var samples = (await response.Content.ReadAsStringAsync()).Split('\n')
            .Where(l => l.StartsWith("sluice_job_runs_total{", StringComparison.Ordinal))
            .ToDictionary(l => l[..l.LastIndexOf(' ')], l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

        Assert.Equal(2 * FullRefreshedProject.Days, samples["sluice_job_runs_total{job=\"fct_daily_scores\",status=\"SUCCESS\"}"]);
        Assert.Equal(1, samples["sluice_job_runs_total{job=\"broken_scores\",status=\"FAILED\"}"]);
        Assert.Equal(["broken_scores"], samples.Keys.Where(k => k.Contains("status=\"FAILED\"", StringComparison.Ordinal)).Select(k => k.Split('"')[1]));
    }
}

public sealed class DuckDbFullRefreshHistoryTests(DuckDbFullRefreshedProject project) : FullRefreshHistoryTests<DuckDbFullRefreshedProject>(project);

public sealed class PostgresFullRefreshHistoryTests(PostgresFullRefreshedProject project) : FullRefreshHistoryTests<PostgresFullRefreshedProject>(project);

/// <summary>A full refresh drops its table before it builds: cached answers must not outlive the drop.</summary>
public sealed class FullRefreshCacheTests(PostgresFullRefreshedProject project) : IClassFixture<PostgresFullRefreshedProject>
{
    private const string Path = "/api/v1/metrics/outcome_score/trend?granularity=month&from=2025-01-01&to=2025-01-31&filter[company_id]=acme";

    [Fact]
    public async Task A_full_refresh_whose_partitions_all_fail_still_changes_the_data_version()
    {
        var before = await project.GetAsync(Path);
        Assert.Equal("hit", (await project.GetAsync(Path)).GetProperty("meta").GetProperty("cache").GetString());

        await project.BreakAndRefreshAsync();
        var after = await project.GetAsync(Path);

        Assert.Equal("miss", after.GetProperty("meta").GetProperty("cache").GetString());
        Assert.NotEqual(before.GetProperty("meta").GetProperty("data_version").GetString(), after.GetProperty("meta").GetProperty("data_version").GetString());
    }
}
