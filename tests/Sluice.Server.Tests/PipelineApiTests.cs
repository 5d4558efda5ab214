using System.Net;

namespace Sluice.Server.Tests;

/// <summary>The pipeline endpoints report what the fixture's build did: five models, each built once.</summary>
public abstract class PipelineApiTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : ServedProject
{
    private static readonly string[] Models = ["dim_company", "dim_doctor", "fct_appointments", "fct_outcome_scores", "fct_user_events"];

    [Fact]
    public async Task Runs_list_each_built_model_newest_first_with_filters_and_paging()
    {
        var runs = await project.GetAsync("/api/v1/runs");
        Assert.Equal(Models.Length, runs.GetProperty("total").GetInt64());
        var items = runs.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Models, items.Select(i => i.GetProperty("job_name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(items, i => Assert.Equal("SUCCESS", i.GetProperty("status").GetString()));
        var started = items.Select(i => i.GetProperty("started_at").GetDateTimeOffset()).ToList();
        Assert.Equal(started.OrderDescending(), started);
        var scores = items.Single(i => i.GetProperty("job_name").GetString() == "fct_outcome_scores");
        Assert.Contains(AnalyticsData.Scores.Count, new[] { scores.GetProperty("rows_processed").GetInt64(), scores.GetProperty("rows_inserted").GetInt64() });

        var page = await project.GetAsync("/api/v1/runs?limit=3&offset=2");
        Assert.Equal((Math.Min(3, Models.Length - 2), Models.Length), (page.GetProperty("items").GetArrayLength(), (int)page.GetProperty("total").GetInt64()));
        var one = await project.GetAsync("/api/v1/runs?job=dim_company&status=success");
        Assert.Equal("dim_company", one.GetProperty("items")[0].GetProperty("job_name").GetString());
        Assert.Equal(1, one.GetProperty("total").GetInt64());
        Assert.Equal(0, (await project.GetAsync("/api/v1/runs?status=failed")).GetProperty("total").GetInt64());
        Assert.Equal(0, (await project.GetAsync("/api/v1/runs?since=2999-01-01")).GetProperty("total").GetInt64());
        Assert.Equal("limit", (await project.ProblemAsync("/api/v1/runs?limit=0", HttpStatusCode.BadRequest)).GetProperty("parameter").GetString());
        Assert.Equal("jobs", (await project.ProblemAsync("/api/v1/runs?jobs=x", HttpStatusCode.BadRequest)).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Status_shows_each_resources_last_success_and_checks_and_syncs_are_empty()
    {
        var status = await project.GetAsync("/api/v1/status?days=30");
        var resources = status.GetProperty("resources").EnumerateArray().ToList();
        Assert.Equal(Models, resources.Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.All(resources, r =>
        {
            Assert.False(r.GetProperty("needs_attention").GetBoolean());
            Assert.Equal("SUCCESS", r.GetProperty("last_success").GetProperty("status").GetString());
        });
        Assert.Equal(1, status.GetProperty("invocations").GetArrayLength());
        Assert.Equal(0, status.GetProperty("failures").GetArrayLength());

        Assert.Equal(0, (await project.GetAsync("/api/v1/checks")).GetProperty("total").GetInt64());
        Assert.Equal(0, (await project.GetAsync("/api/v1/sync")).GetProperty("total").GetInt64());
        var counts = await project.GetAsync("/api/v1/meta/counts");
        Assert.Equal(AnalyticsData.Appointments.Count, counts.EnumerateArray().Single(c => c.GetProperty("relation").GetString() == "fct_appointments").GetProperty("rows").GetInt64());
    }
}

public sealed class DuckDbPipelineApiTests(DuckDbServedProject project) : PipelineApiTests<DuckDbServedProject>(project);

public sealed class ClickHousePipelineApiTests(ClickHouseServedProject project) : PipelineApiTests<ClickHouseServedProject>(project);
