using System.Net;
using System.Text.Json;

namespace Sluice.Server.Tests;

/// <summary>The trend endpoint against statistics computed here from the rows loaded.</summary>
public abstract class TrendTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : ServedProject
{
    private static readonly DateOnly From = new(2025, 1, 6);
    private static readonly DateOnly To = new(2025, 2, 20);

    [Theory]
    [InlineData("day")]
    [InlineData("week")]
    [InlineData("month")]
    [InlineData("total")]
    public async Task Trend_periods_match_the_rows_of_each_period(string granularity)
    {
        var body = await project.GetAsync($"/api/v1/metrics/outcome_score/trend?granularity={granularity}&from={ServedProject.Day(From)}&to={ServedProject.Day(To)}&page_size=1000");

        var expected = AnalyticsData.Scores
            .Where(s => Expected.InRange(s.CreatedAt, From, To))
            .GroupBy(s => Expected.PeriodStart(s.CreatedAt, granularity, From))
            .OrderBy(g => g.Key)
            .ToList();
        var periods = body.GetProperty("periods").EnumerateArray().ToList();
        Assert.Equal(expected.Select(g => ServedProject.Day(g.Key)), periods.Select(p => p.GetProperty("period").GetString()));
        foreach (var (group, period) in expected.Zip(periods))
        {
            var scores = group.Select(s => s.Score).ToList();
            var at = $"{granularity} {group.Key}";
            Assert.Equal(scores.Count, period.GetProperty("count").GetInt64());
            Expected.Near(scores.Average(), period.GetProperty("value"), $"{at} value");
            Expected.Near(scores.Min(), period.GetProperty("min"), $"{at} min");
            Expected.Near(scores.Max(), period.GetProperty("max"), $"{at} max");
            Expected.Near(Expected.SampleStddev(scores), period.GetProperty("stddev"), $"{at} stddev");
            Assert.Equal(JsonValueKind.Null, period.GetProperty("group").ValueKind);
        }

        Assert.Equal(expected.Count, body.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(granularity, body.GetProperty("granularity").GetString());
        Assert.Contains(body.GetProperty("meta").GetProperty("cache").GetString(), new[] { "miss", "off" });
        Assert.Matches("^[0-9a-f]{16}$", body.GetProperty("meta").GetProperty("data_version").GetString());
    }

    [Fact]
    public async Task Grouped_and_filtered_trend_pages_through_the_groups_in_order()
    {
        var query = $"/api/v1/metrics/outcome_score/trend?granularity=week&from={ServedProject.Day(From)}&to={ServedProject.Day(To)}&group_by=program,dimension&filter[company_id]=acme&filter[company_id]=globex";
        var expected = AnalyticsData.Scores
            .Where(s => Expected.InRange(s.CreatedAt, From, To) && s.CompanyId is "acme" or "globex")
            .GroupBy(s => (Week: Expected.PeriodStart(s.CreatedAt, "week", From), s.Program, s.Dimension))
            .OrderBy(g => g.Key.Week).ThenBy(g => g.Key.Program, StringComparer.Ordinal).ThenBy(g => g.Key.Dimension, StringComparer.Ordinal)
            .ToList();

        var seen = new List<JsonElement>();
        for (var page = 1; page <= 4; page++)
        {
            var body = await project.GetAsync($"{query}&page={page}&page_size=7");
            var pagination = body.GetProperty("pagination");
            Assert.Equal(expected.Count, pagination.GetProperty("total").GetInt64());
            Assert.Equal(page, pagination.GetProperty("page").GetInt32());
            var periods = body.GetProperty("periods").EnumerateArray().ToList();
            Assert.Equal(Math.Clamp(expected.Count - (page - 1) * 7, 0, 7), periods.Count);
            seen.AddRange(periods);
        }

        Assert.True(expected.Count > 21, "the data should fill more than three pages");
        foreach (var (group, period) in expected.Zip(seen))
        {
            Assert.Equal(ServedProject.Day(group.Key.Week), period.GetProperty("period").GetString());
            Assert.Equal(group.Key.Program, period.GetProperty("group").GetProperty("program").GetString());
            Assert.Equal(group.Key.Dimension, period.GetProperty("group").GetProperty("dimension").GetString());
            Assert.Equal(group.Count(), period.GetProperty("count").GetInt64());
            Expected.Near(group.Average(s => s.Score), period.GetProperty("value"), $"{group.Key}");
        }

        var beyond = await project.GetAsync($"{query}&page=1000&page_size=7");
        Assert.Empty(beyond.GetProperty("periods").EnumerateArray());
        Assert.Equal(expected.Count, beyond.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Count_and_percentile_metrics_aggregate_each_month()
    {
        var counts = await project.GetAsync("/api/v1/metrics/assessments/trend?granularity=month&from=2025-01-01&to=2025-03-31&filter[program]=language");
        var p90 = await project.GetAsync("/api/v1/metrics/score_p90/trend?granularity=month&from=2025-01-01&to=2025-03-31");

        var months = AnalyticsData.Scores.GroupBy(s => Expected.PeriodStart(s.CreatedAt, "month", From)).OrderBy(g => g.Key).ToList();
        Assert.Equal(3, months.Count);
        var countPeriods = counts.GetProperty("periods").EnumerateArray().ToList();
        var p90Periods = p90.GetProperty("periods").EnumerateArray().ToList();
        foreach (var (month, index) in months.Select((m, i) => (m, i)))
        {
            var language = month.Count(s => s.Program == "language");
            Expected.Near(language, countPeriods[index].GetProperty("value"), $"count {month.Key}");
            Assert.Equal(language, countPeriods[index].GetProperty("count").GetInt64());
            Assert.Equal(JsonValueKind.Null, countPeriods[index].GetProperty("stddev").ValueKind);
            Expected.Near(Expected.Percentile(month.Select(s => s.Score), 0.9), p90Periods[index].GetProperty("value"), $"p90 {month.Key}");
        }
    }

    [Theory]
    [InlineData("granularity=hour", "granularity")]
    [InlineData("from=2025-02-30", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("from=2025-03-01&to=2025-02-01", "from")]
    [InlineData("group_by=secret_column", "group_by")]
    [InlineData("group_by=program,program", "group_by")]
    [InlineData("filter[score]=1", "filter[score]")]
    [InlineData("filter[program]=a&filter[program]=b&page=0", "page")]
    [InlineData("page_size=100000", "page_size")]
    [InlineData("page=-1", "page")]
    [InlineData("page=1&page=2", "page")]
    [InlineData("pagesize=10", "pagesize")]
    [InlineData("filter[]=x", "filter[]")]
    public async Task Bad_parameters_get_a_problem_naming_them(string query, string parameter)
    {
        var problem = await project.ProblemAsync($"/api/v1/metrics/outcome_score/trend?{query}", HttpStatusCode.BadRequest);

        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("request_id").GetString()));
    }

    [Fact]
    public async Task Unknown_metrics_and_paths_get_404_problems()
    {
        var metric = await project.ProblemAsync("/api/v1/metrics/nope/trend", HttpStatusCode.NotFound);
        Assert.Contains("outcome_score", metric.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await project.ProblemAsync("/api/v2/anything", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Catalog_lists_metrics_funnels_benchmarks_and_exposed_models()
    {
        var catalog = await project.GetAsync("/api/v1/metrics");

        var score = catalog.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "outcome_score");
        Assert.Equal("avg", score.GetProperty("aggregation").GetString());
        Assert.Equal(["dimension", "program", "company_id"], score.GetProperty("dimensions").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(4, catalog.GetProperty("metrics").GetArrayLength());
        Assert.Equal("program_journey", catalog.GetProperty("funnels")[0].GetProperty("name").GetString());
        Assert.Equal(30 * 86400, catalog.GetProperty("funnels")[0].GetProperty("window_seconds").GetInt64());
        Assert.Equal(["industry", "region", "size"], catalog.GetProperty("benchmarks")[0].GetProperty("peer_groups").EnumerateArray().Select(d => d.GetString()));
        Assert.True(catalog.GetProperty("models")[0].GetProperty("filters").GetProperty("date").GetBoolean());
    }

    [Fact]
    public async Task Health_probes_report_the_warehouse_and_the_last_build()
    {
        Assert.Equal("ok", (await project.GetAsync("/health")).GetProperty("status").GetString());
        Assert.Equal("live", (await project.GetAsync("/health/live")).GetProperty("status").GetString());
        var ready = await project.GetAsync("/health/ready");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal("success", ready.GetProperty("last_build").GetString());
        var dependency = (await project.GetAsync("/health/dependencies"))[0];
        Assert.Equal("up", dependency.GetProperty("status").GetString());
        Assert.Equal(project.Server.Catalog.Project.Project.Warehouse.Type, dependency.GetProperty("engine").GetString());
    }
}

public sealed class DuckDbTrendTests(DuckDbServedProject project) : TrendTests<DuckDbServedProject>(project);

public sealed class PostgresTrendTests(PostgresServedProject project) : TrendTests<PostgresServedProject>(project);

public sealed class ClickHouseTrendTests(ClickHouseServedProject project) : TrendTests<ClickHouseServedProject>(project);

public sealed class ClickHouseClusterTrendTests : TrendTests<ClickHouseClusterServedProject>
{
    private readonly ClickHouseClusterServedProject _served;

    public ClickHouseClusterTrendTests(ClickHouseClusterServedProject served)
        : base(served) => _served = served;

    [Fact]
    public async Task The_served_tables_keep_their_rows_on_both_shards()
    {
        var tables = (await _served.Cluster!.First.QueryAsync("select name from system.tables where database = 'analytics' and endsWith(name, '__shard') order by name"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(tables);

        // The largest table: rows spread at random leave a shard empty with odds of 2^(1 - rows).
        var rows = new List<IReadOnlyList<long>>();
        foreach (var table in tables)
        {
            rows.Add(await _served.Cluster.ShardRowsAsync("analytics", table[..^"__shard".Length]));
        }

        var largest = rows.MaxBy(r => r.Sum())!;
        Assert.True(largest.Sum() >= 100, $"the largest table has {largest.Sum()} rows");
        Assert.All(largest, n => Assert.True(n > 0, $"a shard has none of the largest table's rows: {string.Join(", ", largest)}"));
    }
}
