using System.Net;
using System.Text.Json;
using Sluice.Demo.Teei;

namespace Sluice.Cli.Tests;

/// <summary>
/// The TEEI example served from the embedded warehouse: every figure of the seed's four endpoints
/// — trends per day, week and month, cohorts of ten companies, the program funnel, benchmarks by
/// industry, region and size — equals what the test computes from the generated rows themselves;
/// a company's key sees its own figures only, and a spent budget is a 429.
/// </summary>
public abstract class TeeiPipelineTests<TPipeline>(TPipeline pipeline) : IClassFixture<TPipeline>
    where TPipeline : TeeiPipeline
{
    private const double Tolerance = 1e-9;

    /// <summary>The deployment under test.</summary>
    protected TPipeline Pipeline => pipeline;

    protected string Range => $"from={TeeiPipeline.Day(pipeline.First)}&to={TeeiPipeline.Day(pipeline.Last)}";

    // Enrollments begin up to 50 days before the first day of scores, and programs last weeks:
    // the funnel's range reaches back to them, so that users complete within it.
    protected DateOnly FunnelFirst => pipeline.First.AddDays(-60);

    protected string FunnelRange => $"from={TeeiPipeline.Day(FunnelFirst)}&to={TeeiPipeline.Day(pipeline.Last)}";

    [Theory]
    [InlineData("day")]
    [InlineData("week")]
    [InlineData("month")]
    public async Task Trends_by_dimension_equal_the_generated_scores_page_by_page(string granularity)
    {
        var expected = Scores(null)
            .GroupBy(s => (Period: Period(Day(s.CreatedAt), granularity), s.Dimension))
            .ToDictionary(g => $"{TeeiPipeline.Day(g.Key.Period)} {g.Key.Dimension}", g => g.Select(s => (double)s.Score).ToList());

        // Small pages, to follow the pagination to its end.
        var served = new Dictionary<string, JsonElement>();
        for (var page = 1; ; page++)
        {
            var body = await pipeline.GetOkAsync($"api/v1/metrics/outcome_score/trend?granularity={granularity}&group_by=dimension&{Range}&page={page}&page_size=7");
            Assert.Equal(expected.Count, body.GetProperty("pagination").GetProperty("total").GetInt64());
            Assert.Equal("day", body.GetProperty("rollup").GetString());
            var periods = body.GetProperty("periods").EnumerateArray().ToList();
            foreach (var period in periods)
            {
                Assert.True(served.TryAdd($"{period.GetProperty("period").GetString()} {period.GetProperty("group").GetProperty("dimension").GetString()}", period));
            }

            if (periods.Count < 7)
            {
                break;
            }
        }

        Assert.Equal(expected.Keys.Order(), served.Keys.Order());
        foreach (var (key, scores) in expected)
        {
            AssertPeriod(key, scores, served[key]);
        }
    }

    [Fact]
    public async Task A_companys_trend_of_one_dimension_is_its_own_scores_alone()
    {
        var tenant = pipeline.Tenant.Id;
        var expected = Scores(tenant).Where(s => s.Dimension == "confidence")
            .GroupBy(s => Period(Day(s.CreatedAt), "week"))
            .ToDictionary(g => TeeiPipeline.Day(g.Key), g => g.Select(s => (double)s.Score).ToList());

        var body = await pipeline.GetOkAsync($"api/v1/metrics/outcome_score/trend?granularity=week&filter[dimension]=confidence&{Range}", TeeiPipeline.TenantKey);

        var served = body.GetProperty("periods").EnumerateArray().ToDictionary(p => p.GetProperty("period").GetString()!);
        Assert.Equal(expected.Keys.Order(), served.Keys.Order());
        foreach (var (key, scores) in expected)
        {
            AssertPeriod(key, scores, served[key]);
        }

        // The same company asked for by an admin key gives the same figures (to the last bits,
        // which an engine that sums in parallel may add in another order).
        var admin = (await pipeline.GetOkAsync($"api/v1/metrics/outcome_score/trend?granularity=week&filter[dimension]=confidence&filter[company_id]={tenant}&{Range}"))
            .GetProperty("periods").EnumerateArray().ToDictionary(p => p.GetProperty("period").GetString()!);
        Assert.Equal(served.Keys.Order(), admin.Keys.Order());
        foreach (var (key, period) in served)
        {
            foreach (var figure in new[] { "value", "count", "min", "max", "stddev" })
            {
                var mine = period.GetProperty(figure);
                AssertClose(mine.ValueKind == JsonValueKind.Null ? null : mine.GetDouble(), admin[key], figure, key);
            }
        }
    }

    [Fact]
    public async Task Cohorts_of_ten_companies_give_their_quartiles()
    {
        var companies = Scores(null).Select(s => s.CompanyId).Distinct().Order().Take(10).ToList();

        var body = await pipeline.GetOkAsync($"api/v1/metrics/outcome_score/cohorts?by=company_id&cohorts={string.Join(",", companies)}&{Range}");

        var cohorts = body.GetProperty("cohorts").EnumerateArray().ToList();
        Assert.Equal(companies.Select(c => c.ToString()), cohorts.Select(c => c.GetProperty("cohort").GetString()));
        foreach (var (company, cohort) in companies.Zip(cohorts))
        {
            var scores = Scores(company).Select(s => (double)s.Score).Order().ToList();
            Assert.True(scores.Count > 0, $"company {company} has no scores; the test needs companies with scores");
            Assert.Equal(scores.Count, cohort.GetProperty("count").GetInt64());
            AssertClose(scores.Average(), cohort, "avg");
            AssertClose(Percentile(scores, 0.25), cohort, "p25");
            AssertClose(Percentile(scores, 0.5), cohort, "median");
            AssertClose(Percentile(scores, 0.75), cohort, "p75");
            AssertClose(scores[0], cohort, "min");
            AssertClose(scores[^1], cohort, "max");
        }

        // The seed compares up to ten.
        var eleven = await pipeline.GetAsync($"api/v1/metrics/outcome_score/cohorts?by=company_id&cohorts={string.Join(",", pipeline.Companies.Keys.Order().Take(11))}&{Range}", TeeiPipeline.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, eleven.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("buddy")]
    [InlineData("mentorship")]
    public async Task The_funnel_counts_users_from_enrolled_to_matched_to_completed(string? program)
    {
        var filter = program is null ? string.Empty : $"&filter[program]={program}";
        var body = await pipeline.GetOkAsync($"api/v1/funnels/program_journey?{FunnelRange}{filter}");

        var expected = Funnel(null, program);
        Assert.True(expected[2] > 0 && expected[1] > expected[2], $"the generated range has {expected[2]} completed enrollment(s); the test needs some");
        AssertFunnel(expected, body);
    }

    [Theory]
    [InlineData("industry")]
    [InlineData("region")]
    [InlineData("size")]
    public async Task A_benchmark_gives_the_company_and_its_peers_quartiles(string by)
    {
        foreach (var company in new[] { pipeline.Tenant, pipeline.OtherTenant })
        {
            var body = await pipeline.GetOkAsync($"api/v1/benchmarks/outcome_vs_peers?entity={company.Id}&by={by}&{Range}");

            var (group, value, peers) = Benchmark(company, by);
            Assert.Equal(group, body.GetProperty("group").GetString());
            AssertClose(value, body, "value");
            var served = body.GetProperty("peers");
            Assert.Equal("all", served.GetProperty("scope").GetString());
            Assert.Equal(peers.Count, served.GetProperty("count").GetInt64());
            AssertClose(Percentile(peers, 0.25), served, "p25");
            AssertClose(Percentile(peers, 0.5), served, "median");
            AssertClose(Percentile(peers, 0.75), served, "p75");
            AssertClose(value - Percentile(peers, 0.5), body, "difference");
        }
    }

    [Fact]
    public async Task A_companys_key_sees_its_own_benchmark_and_other_companies_only_as_quartiles_of_five_or_more()
    {
        var shown = 0;
        foreach (var by in new[] { "industry", "region", "size" })
        {
            var body = await pipeline.GetOkAsync($"api/v1/benchmarks/outcome_vs_peers?entity={pipeline.Tenant.Id}&by={by}&{Range}", TeeiPipeline.TenantKey);

            var (_, value, peers) = Benchmark(pipeline.Tenant, by);
            AssertClose(value, body, "value");
            var served = body.GetProperty("peers");
            Assert.Equal("cross_tenant", served.GetProperty("scope").GetString());
            if (peers.Count >= 5)
            {
                shown++;
                Assert.Equal(peers.Count, served.GetProperty("count").GetInt64());
                AssertClose(Percentile(peers, 0.5), served, "median");
                AssertClose(Percentile(peers, 0.25), served, "p25");
                AssertClose(Percentile(peers, 0.75), served, "p75");
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, served.GetProperty("count").ValueKind);
                Assert.Equal(JsonValueKind.Null, served.GetProperty("median").ValueKind);
                Assert.Contains("fewer than 5 peers", served.GetProperty("withheld").GetString(), StringComparison.Ordinal);
            }
        }

        Assert.True(shown > 0, "no peer group of the tenant has five peers; the test needs one");
        var other = await pipeline.GetAsync($"api/v1/benchmarks/outcome_vs_peers?entity={pipeline.OtherTenant.Id}&{Range}", TeeiPipeline.TenantKey);
        Assert.Equal(HttpStatusCode.BadRequest, other.Status);
    }

    [Fact]
    public async Task A_companys_key_never_sees_another_companys_figures()
    {
        var (tenant, other) = (pipeline.Tenant.Id, pipeline.OtherTenant.Id);

        // Trends over every dimension: the tenant's own scores.
        var trend = await pipeline.GetOkAsync($"api/v1/metrics/outcome_score/trend?granularity=month&{Range}", TeeiPipeline.TenantKey);
        var expected = Scores(tenant).GroupBy(s => TeeiPipeline.Day(Period(Day(s.CreatedAt), "month"))).ToDictionary(g => g.Key, g => g.Select(s => (double)s.Score).ToList());
        var periods = trend.GetProperty("periods").EnumerateArray().ToList();
        Assert.Equal(expected.Keys.Order(), periods.Select(p => p.GetProperty("period").GetString()).Order());
        foreach (var period in periods)
        {
            AssertPeriod(period.GetProperty("period").GetString()!, expected[period.GetProperty("period").GetString()!], period);
        }

        // Another company's rows, asked for by filter or cohort, are not there.
        var filtered = await pipeline.GetOkAsync($"api/v1/metrics/outcome_score/trend?granularity=month&filter[company_id]={other}&{Range}", TeeiPipeline.TenantKey);
        Assert.Empty(filtered.GetProperty("periods").EnumerateArray());
        var cohorts = await pipeline.GetOkAsync($"api/v1/metrics/outcome_score/cohorts?by=company_id&cohorts={tenant},{other}&{Range}", TeeiPipeline.TenantKey);
        var counts = cohorts.GetProperty("cohorts").EnumerateArray().Select(c => c.GetProperty("count").GetInt64()).ToList();
        Assert.Equal([Scores(tenant).Count(), 0L], counts);

        // The funnel: the tenant's users alone, and each tenant's differ.
        AssertFunnel(Funnel(tenant, null), await pipeline.GetOkAsync($"api/v1/funnels/program_journey?{FunnelRange}", TeeiPipeline.TenantKey));
        AssertFunnel(Funnel(other, null), await pipeline.GetOkAsync($"api/v1/funnels/program_journey?{FunnelRange}", TeeiPipeline.OtherTenantKey));
        Assert.NotEqual(Funnel(tenant, null), Funnel(other, null));
    }

    [Fact]
    public async Task A_spent_daily_budget_is_a_429()
    {
        for (var i = 1; i <= TeeiPipeline.SmallBudget; i++)
        {
            var (status, body, response) = await pipeline.GetAsync($"api/v1/funnels/program_journey?{FunnelRange}", TeeiPipeline.SmallBudgetKey);
            Assert.True(status == HttpStatusCode.OK, $"request {i}: {(int)status} {body}");
            Assert.Equal((TeeiPipeline.SmallBudget - i).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-Budget-Daily-Remaining").Single());
        }

        var (spent, problem, refused) = await pipeline.GetAsync($"api/v1/metrics/outcome_score/trend?granularity=day&{Range}", TeeiPipeline.SmallBudgetKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, spent);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.NotNull(refused.Headers.RetryAfter);

        // The 10,000 of serve.budget still holds for the other companies.
        var (status2, _, other) = await pipeline.GetAsync($"api/v1/funnels/program_journey?{FunnelRange}", TeeiPipeline.OtherTenantKey);
        Assert.Equal(HttpStatusCode.OK, status2);
        Assert.True(int.Parse(other.Headers.GetValues("X-Budget-Daily-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture) > 9_000);
    }

    // The generated scores in the range, of one company or all.
    protected List<TeeiScoreRow> Scores(Guid? company) =>
        [.. pipeline.State.Rows<TeeiScoreRow>(TeeiTables.Scores)
            .Where(s => Day(s.CreatedAt) >= pipeline.First && Day(s.CreatedAt) <= pipeline.Last && (company is null || s.CompanyId == company))];

    // Users at each step, as the funnel counts them: a user enters with their first enrollment in
    // the range, then reaches each step with its first event at or after the step before.
    protected long[] Funnel(Guid? company, string? program)
    {
        var start = FunnelFirst.ToDateTime(TimeOnly.MinValue);
        var end = pipeline.Last.AddDays(1).ToDateTime(TimeOnly.MinValue);
        var events = pipeline.State.Rows<TeeiEnrollmentRow>(TeeiTables.Enrollments)
            .Where(e => (company is null || e.CompanyId == company) && (program is null || e.Program == program))
            .SelectMany(e => new (Guid User, int Step, DateTime? At)[] { (e.UserId, 0, e.EnrolledAt), (e.UserId, 1, e.MatchedAt), (e.UserId, 2, e.CompletedAt) })
            .Where(e => e.At >= start)
            .ToLookup(e => e.User);
        var counts = new long[3];
        foreach (var user in events)
        {
            var entered = user.Where(e => e.Step == 0 && e.At < end).Select(e => e.At).Min();
            var reached = entered;
            for (var step = 0; step < 3 && reached is not null; step++)
            {
                reached = step == 0 ? reached : user.Where(e => e.Step == step && e.At >= reached).Select(e => e.At).Min();
                counts[step] += reached is null ? 0 : 1;
            }
        }

        return counts;
    }

    // A company's group, its mean score, and the mean scores of the other companies of the group
    // that have scores in the range.
    private (string Group, double Value, List<double> Peers) Benchmark(TeeiCompanyRow company, string by)
    {
        string GroupOf(TeeiCompanyRow c) => by switch { "industry" => c.Industry, "region" => c.Region, _ => c.EmployeeSize };
        var group = GroupOf(company);
        var means = Scores(null).GroupBy(s => s.CompanyId).Where(g => GroupOf(pipeline.Companies[g.Key]) == group)
            .ToDictionary(g => g.Key, g => g.Average(s => (double)s.Score));
        return (group, means[company.Id], [.. means.Where(m => m.Key != company.Id).Select(m => m.Value).Order()]);
    }

    protected static void AssertFunnel(long[] expected, JsonElement body)
    {
        var steps = body.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["enrolled", "matched", "completed"], steps.Select(s => s.GetProperty("step").GetString()));
        Assert.Equal(expected, steps.Select(s => s.GetProperty("entities").GetInt64()));
        Assert.Equal(expected[0], body.GetProperty("total_entities").GetInt64());
        Assert.Equal(expected[1] - expected[2], steps[2].GetProperty("dropoff").GetInt64());
        AssertClose(expected[0] == 0 ? null : (double)expected[2] / expected[0], body, "overall_conversion");
    }

    protected static void AssertPeriod(string key, List<double> scores, JsonElement period)
    {
        Assert.True(scores.Count == period.GetProperty("count").GetInt64(), $"{key}: count");
        AssertClose(scores.Average(), period, "value", key);
        AssertClose(scores.Min(), period, "min", key);
        AssertClose(scores.Max(), period, "max", key);
        AssertClose(StandardDeviation(scores), period, "stddev", key);
    }

    private static void AssertClose(double? expected, JsonElement element, string property, string? at = null)
    {
        var served = element.GetProperty(property);
        if (expected is null)
        {
            Assert.True(served.ValueKind == JsonValueKind.Null, $"{at} {property}: expected null, served {served}");
            return;
        }

        Assert.True(served.ValueKind == JsonValueKind.Number, $"{at} {property}: expected {expected}, served {served}");
        Assert.True(Math.Abs(expected.Value - served.GetDouble()) <= Tolerance, $"{at} {property}: expected {expected}, served {served.GetDouble()}");
    }

    // What a trend answer holds, without its meta (cache, timing).
    // Continuous, as percentile_cont: interpolated between the two nearest values.
    private static double? Percentile(List<double> sorted, double fraction)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var position = fraction * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    private static double? StandardDeviation(List<double> values)
    {
        if (values.Count < 2)
        {
            return null;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    protected static DateOnly Day(DateTime time) => DateOnly.FromDateTime(time);

    protected static DateOnly Period(DateOnly day, string granularity) => granularity switch
    {
        "day" => day,
        "week" => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        _ => new DateOnly(day.Year, day.Month, 1),
    };
}

public sealed class DuckDbTeeiPipelineTests(TeeiPipeline pipeline) : TeeiPipelineTests<TeeiPipeline>(pipeline);

/// <summary>
/// The TEEI example on ClickHouse with Redis, and, on the same deployment, three <c>sluice serve</c>
/// processes: each answers a company's key with that company's figures alone, a budget is exact
/// over the three, and with Redis killed they go on answering the same figures while health says
/// degraded.
/// </summary>
public sealed class ClickHouseTeeiPipelineTests(ClickHouseTeeiPipeline pipeline) : TeeiPipelineTests<ClickHouseTeeiPipeline>(pipeline)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Three_servers_each_show_a_company_its_own_figures_alone()
    {
        await using var second = await Pipeline.StartNodeAsync();
        await using var third = await Pipeline.StartNodeAsync();
        foreach (var node in new[] { Pipeline.Url, second.Url, third.Url })
        {
            await AssertOwnFiguresAsync(node, null);
            var filtered = await OkAsync(node, $"api/v1/metrics/outcome_score/trend?granularity=month&filter[company_id]={Pipeline.OtherTenant.Id}&{Range}", TeeiPipeline.TenantKey);
            Assert.Empty(filtered.GetProperty("periods").EnumerateArray());
            AssertFunnel(Funnel(Pipeline.OtherTenant.Id, null), await OkAsync(node, $"api/v1/funnels/program_journey?{FunnelRange}", TeeiPipeline.OtherTenantKey));
        }
    }

    [Fact]
    public async Task A_budget_shared_by_three_servers_admits_exactly_its_number_under_concurrent_clients()
    {
        await using var second = await Pipeline.StartNodeAsync();
        await using var third = await Pipeline.StartNodeAsync();
        var admitted = 0;
        var refused = 0;

        // Four clients per server send requests until each has been refused.
        await Task.WhenAll(new[] { Pipeline.Url, second.Url, third.Url }.SelectMany(node => Enumerable.Range(0, 4).Select(async _ =>
        {
            while (Volatile.Read(ref admitted) <= TeeiPipeline.SharedBudget * 2)
            {
                var (status, body, response) = await Pipeline.GetAsync(node, $"api/v1/funnels/program_journey?{FunnelRange}", TeeiPipeline.SharedBudgetKey);
                response.Dispose();
                if (status == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref admitted);
                    continue;
                }

                Assert.True(status == HttpStatusCode.TooManyRequests, $"{node}: {(int)status} {body}");
                Interlocked.Increment(ref refused);
                return;
            }
        })));

        Assert.Equal(TeeiPipeline.SharedBudget, admitted);
        Assert.Equal(12, refused);
    }

    [Fact]
    public async Task With_Redis_killed_three_servers_answer_the_same_figures_and_say_degraded_until_it_is_back()
    {
        await using var second = await Pipeline.StartNodeAsync();
        await using var third = await Pipeline.StartNodeAsync();
        Uri[] nodes = [Pipeline.Url, second.Url, third.Url];
        foreach (var node in nodes)
        {
            await AssertOwnFiguresAsync(node, null);
        }

        await Pipeline.Redis.KillAsync();
        try
        {
            foreach (var node in nodes)
            {
                await AssertOwnFiguresAsync(node, "off");
                var cache = await OkAsync(node, "health/cache", TeeiPipeline.AdminKey);
                Assert.Equal("degraded", cache.GetProperty("status").GetString());
                Assert.DoesNotContain(Pipeline.Redis.Password, cache.GetRawText(), StringComparison.Ordinal);
            }
        }
        finally
        {
            await Pipeline.Redis.StartAgainAsync();
        }

        // Each server asks Redis again once its circuit closes (5 s), without a restart: its
        // answers come from the cache again. (Health answers a client 30 times a minute, so the
        // wait asks the API.)
        var waited = System.Diagnostics.Stopwatch.StartNew();
        foreach (var node in nodes)
        {
            while ((await OkAsync(node, $"api/v1/metrics/outcome_score/trend?granularity=week&{Range}", TeeiPipeline.AdminKey)).GetProperty("meta").GetProperty("cache").GetString() == "off")
            {
                Assert.True(waited.Elapsed < Patience, $"{node} did not use Redis again within {Patience}");
                await Task.Delay(100);
            }

            Assert.Equal("up", (await OkAsync(node, "health/cache", TeeiPipeline.AdminKey)).GetProperty("status").GetString());
        }
    }

    // The tenant's trend by month and its funnel, each equal to the generated rows; the answers'
    // cache state is checked when one is given.
    private async Task AssertOwnFiguresAsync(Uri node, string? cache)
    {
        var trend = await OkAsync(node, $"api/v1/metrics/outcome_score/trend?granularity=month&{Range}", TeeiPipeline.TenantKey);
        var expected = Scores(Pipeline.Tenant.Id).GroupBy(s => TeeiPipeline.Day(Period(Day(s.CreatedAt), "month"))).ToDictionary(g => g.Key, g => g.Select(s => (double)s.Score).ToList());
        var periods = trend.GetProperty("periods").EnumerateArray().ToList();
        Assert.Equal(expected.Keys.Order(), periods.Select(p => p.GetProperty("period").GetString()).Order());
        foreach (var period in periods)
        {
            AssertPeriod(period.GetProperty("period").GetString()!, expected[period.GetProperty("period").GetString()!], period);
        }

        var funnel = await OkAsync(node, $"api/v1/funnels/program_journey?{FunnelRange}", TeeiPipeline.TenantKey);
        AssertFunnel(Funnel(Pipeline.Tenant.Id, null), funnel);
        if (cache == "off")
        {
            Assert.Equal("off", trend.GetProperty("meta").GetProperty("cache").GetString());
            Assert.Equal("off", funnel.GetProperty("meta").GetProperty("cache").GetString());
        }
    }

    private async Task<JsonElement> OkAsync(Uri node, string pathAndQuery, string key)
    {
        var (status, body, response) = await Pipeline.GetAsync(node, pathAndQuery, key);
        response.Dispose();
        Assert.True(status == HttpStatusCode.OK, $"GET {node}{pathAndQuery}: {(int)status} {body}");
        return body;
    }
}
