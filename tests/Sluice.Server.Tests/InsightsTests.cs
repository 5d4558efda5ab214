using System.Net;
using System.Text.Json;

namespace Sluice.Server.Tests;

/// <summary>Cohorts, funnels, benchmarks and rows against answers computed here from the rows loaded.</summary>
public abstract class InsightsTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : ServedProject
{
    private static readonly DateOnly From = new(2025, 1, 5);
    private static readonly DateOnly To = new(2025, 2, 10);
    private static readonly string Range = $"from={ServedProject.Day(From)}&to={ServedProject.Day(To)}";

    [Fact]
    public async Task Cohorts_give_each_asked_cohort_its_distribution_in_the_order_asked()
    {
        var body = await project.GetAsync($"/api/v1/metrics/outcome_score/cohorts?by=program&cohorts=upskilling,mentoring,nosuch&{Range}");

        var cohorts = body.GetProperty("cohorts").EnumerateArray().ToList();
        Assert.Equal(["upskilling", "mentoring", "nosuch"], cohorts.Select(c => c.GetProperty("cohort").GetString()));
        foreach (var cohort in cohorts.Take(2))
        {
            var program = cohort.GetProperty("cohort").GetString();
            var scores = AnalyticsData.Scores.Where(s => s.Program == program && Expected.InRange(s.CreatedAt, From, To)).Select(s => s.Score).ToList();
            Assert.Equal(scores.Count, cohort.GetProperty("count").GetInt64());
            Expected.Near(scores.Average(), cohort.GetProperty("avg"), $"{program} avg");
            Expected.Near(Expected.Percentile(scores, 0.25), cohort.GetProperty("p25"), $"{program} p25");
            Expected.Near(Expected.Percentile(scores, 0.5), cohort.GetProperty("median"), $"{program} median");
            Expected.Near(Expected.Percentile(scores, 0.75), cohort.GetProperty("p75"), $"{program} p75");
            Expected.Near(scores.Min(), cohort.GetProperty("min"), $"{program} min");
            Expected.Near(scores.Max(), cohort.GetProperty("max"), $"{program} max");
        }

        Assert.Equal(0, cohorts[2].GetProperty("count").GetInt64());
        Assert.Equal(JsonValueKind.Null, cohorts[2].GetProperty("median").ValueKind);
    }

    [Fact]
    public async Task Cohorts_without_a_list_are_the_largest_first()
    {
        var body = await project.GetAsync($"/api/v1/metrics/outcome_score/cohorts?by=company_id&{Range}");

        var expected = AnalyticsData.Scores.Where(s => Expected.InRange(s.CreatedAt, From, To))
            .GroupBy(s => s.CompanyId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var cohorts = body.GetProperty("cohorts").EnumerateArray().ToList();
        Assert.Equal(expected.Select(g => g.Key), cohorts.Select(c => c.GetProperty("cohort").GetString()));
        Assert.Equal(expected.Select(g => (long)g.Count()), cohorts.Select(c => c.GetProperty("count").GetInt64()));
    }

    [Theory]
    [InlineData("/api/v1/metrics/assessments/cohorts?by=program", "name")]
    [InlineData("/api/v1/metrics/outcome_score/cohorts", "by")]
    [InlineData("/api/v1/metrics/outcome_score/cohorts?by=score", "by")]
    [InlineData("/api/v1/metrics/outcome_score/cohorts?by=program&cohorts=a,b,c,d,e,f,g,h,i,j,k", "cohorts")]
    [InlineData("/api/v1/metrics/outcome_score/cohorts?by=program&cohorts=a,,b", "cohorts")]
    [InlineData("/api/v1/funnels/program_journey?filter[event_name]=x", "filter[event_name]")]
    [InlineData("/api/v1/funnels/nope", "name")]
    [InlineData("/api/v1/benchmarks/outcome_vs_peers", "entity")]
    [InlineData("/api/v1/benchmarks/outcome_vs_peers?entity=acme&by=planet", "by")]
    [InlineData("/api/v1/benchmarks/outcome_vs_peers?entity=nobody", "entity")]
    [InlineData("/api/v1/models/fct_appointments/rows?note=x", "note")]
    [InlineData("/api/v1/models/fct_appointments/rows?order_by=-nope", "order_by")]
    [InlineData("/api/v1/models/fct_appointments/rows?limit=0", "limit")]
    [InlineData("/api/v1/models/fct_appointments/rows?date_from=tomorrow", "date_from")]
    [InlineData("/api/v1/models/fct_appointments/rows?patient_id_from=p01", "patient_id_from")]
    [InlineData("/api/v1/models/fct_outcome_scores/rows", "model")]
    public async Task Bad_requests_get_a_problem_naming_the_parameter(string path, string parameter)
    {
        using var response = await project.Client.GetAsync(path);
        var status = response.StatusCode;
        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path}: {status}");
        var problem = await project.ProblemAsync(path, status);
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("web")]
    public async Task Funnel_counts_entities_reaching_each_step_in_order_within_the_window(string? channel)
    {
        var body = await project.GetAsync($"/api/v1/funnels/program_journey?{Range}{(channel is null ? "" : $"&filter[channel]={channel}")}");

        var window = TimeSpan.FromDays(30);
        var end = To.AddDays(1).ToDateTime(TimeOnly.MinValue);
        var events = AnalyticsData.Events.Where(e => channel is null || e.Channel == channel).Where(e => e.OccurredAt >= From.ToDateTime(TimeOnly.MinValue)).ToList();
        var reached = new long[3];
        foreach (var user in events.GroupBy(e => e.UserId))
        {
            var entered = user.Where(e => e.EventName == "enrolled" && e.OccurredAt < end).Select(e => (DateTime?)e.OccurredAt).Min();
            if (entered is null)
            {
                continue;
            }

            reached[0]++;
            var at = entered.Value;
            foreach (var (step, index) in new[] { ("matched", 1), ("completed", 2) })
            {
                var next = user.Where(e => e.EventName == step && e.OccurredAt >= at && e.OccurredAt <= entered.Value + window).Select(e => (DateTime?)e.OccurredAt).Min();
                if (next is null)
                {
                    break;
                }

                reached[index]++;
                at = next.Value;
            }
        }

        var steps = body.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["enrolled", "matched", "completed"], steps.Select(s => s.GetProperty("step").GetString()));
        Assert.Equal(reached, steps.Select(s => s.GetProperty("entities").GetInt64()));
        Assert.True(reached[2] > 0 && reached[2] < reached[1] && reached[1] < reached[0], string.Join(",", reached));
        Assert.Equal(reached[0] - reached[1], steps[1].GetProperty("dropoff").GetInt64());
        Expected.Near((double)reached[2] / reached[1], steps[2].GetProperty("conversion_from_previous"), "conversion from previous");
        Expected.Near((double)reached[2] / reached[0], steps[2].GetProperty("conversion_from_first"), "conversion from first");
        Expected.Near((double)reached[2] / reached[0], body.GetProperty("overall_conversion"), "overall");
        Assert.Equal(reached[0], body.GetProperty("total_entities").GetInt64());
    }

    [Theory]
    [InlineData("industry", new[] { "globex", "umbrella" })]
    [InlineData("region", new[] { "initech", "umbrella" })]
    [InlineData("size", new[] { "initech", "umbrella" })]
    public async Task Benchmark_compares_an_entity_with_the_peers_of_its_group(string by, string[] peers)
    {
        var body = await project.GetAsync($"/api/v1/benchmarks/outcome_vs_peers?entity=acme&by={by}&{Range}");

        double Value(string company) => AnalyticsData.Scores.Where(s => s.CompanyId == company && Expected.InRange(s.CreatedAt, From, To)).Average(s => s.Score);
        var value = Value("acme");
        var peerValues = peers.Select(Value).ToList();
        var median = Expected.Percentile(peerValues, 0.5);
        Expected.Near(value, body.GetProperty("value"), "value");
        var stats = body.GetProperty("peers");
        Assert.Equal(peers.Length, stats.GetProperty("count").GetInt64());
        Expected.Near(Expected.Percentile(peerValues, 0.25), stats.GetProperty("p25"), "p25");
        Expected.Near(median, stats.GetProperty("median"), "median");
        Expected.Near(Expected.Percentile(peerValues, 0.75), stats.GetProperty("p75"), "p75");
        Expected.Near(value - median, body.GetProperty("difference"), "difference");
        Expected.Near((value - median) / Math.Abs(median) * 100, body.GetProperty("percent_difference"), "percent difference");
        Assert.Equal(AnalyticsData.Companies.Single(c => c.CompanyId == "acme") switch
        {
            var c when by == "industry" => c.Industry,
            var c when by == "region" => c.Region,
            var c => c.SizeBand,
        }, body.GetProperty("group").GetString());
    }

    [Fact]
    public async Task Rows_are_filtered_by_declared_filters_ordered_and_paged()
    {
        var path = "/api/v1/models/fct_appointments/rows?appointment_status=completed&appointment_status=cancelled&date_from=2025-01-10&date_to=2025-02-28&order_by=-appointment_date";
        var expected = AnalyticsData.Appointments
            .Where(a => a.AppointmentStatus is "completed" or "cancelled" && a.AppointmentDate >= new DateOnly(2025, 1, 10) && a.AppointmentDate <= new DateOnly(2025, 2, 28))
            .OrderByDescending(a => a.AppointmentDate).ThenBy(a => a.Id)
            .ToList();

        var first = await project.GetAsync($"{path}&limit=25");
        var second = await project.GetAsync($"{path}&limit=25&offset=25");

        Assert.Equal(expected.Count, first.GetProperty("total").GetInt64());
        var rows = first.GetProperty("rows").EnumerateArray().Concat(second.GetProperty("rows").EnumerateArray()).ToList();
        Assert.Equal(expected.Take(50).Select(a => a.Id), rows.Select(r => r.GetProperty("id").GetInt64()));
        var row = rows[0];
        var appointment = expected[0];
        Assert.Equal(ServedProject.Day(appointment.AppointmentDate), row.GetProperty("appointment_date").GetString());
        Assert.Equal(appointment.DoctorName, row.GetProperty("doctor_name").GetString());
        Assert.Equal(appointment.Fee, row.GetProperty("fee").GetDecimal());

        var one = await project.GetAsync("/api/v1/models/fct_appointments/rows?patient_id=p07&doctor_name=Dr%20Bell");
        Assert.Equal(
            AnalyticsData.Appointments.Where(a => a.PatientId == "p07" && a.DoctorName == "Dr Bell").OrderBy(a => a.Id).Select(a => a.Id),
            one.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));

        var past = await project.GetAsync($"{path}&offset=100000");
        Assert.Empty(past.GetProperty("rows").EnumerateArray());
        Assert.Equal(expected.Count, past.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_repeated_request_is_a_cache_hit_and_a_known_etag_gets_304()
    {
        var path = $"/api/v1/metrics/outcome_score/cohorts?by=dimension&{Range}";
        using var first = await project.Client.GetAsync(path);
        using var second = await project.Client.GetAsync(path);
        var (a, b) = (await Body(first), await Body(second));

        Assert.Equal("hit", b.GetProperty("meta").GetProperty("cache").GetString());
        Assert.Equal(a.GetProperty("cohorts").ToString(), b.GetProperty("cohorts").ToString());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(second.Headers.ETag!);
        using var revalidated = await project.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);

        var stats = await project.GetAsync("/health/cache");
        Assert.True(stats.GetProperty("hits").GetInt64() >= 1);
        Assert.True(stats.GetProperty("entries").GetInt64() >= 1);
        Assert.True(stats.GetProperty("bytes").GetInt64() > 0);
    }

    private static async Task<JsonElement> Body(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}

public sealed class DuckDbInsightsTests(DuckDbServedProject project) : InsightsTests<DuckDbServedProject>(project);

public sealed class PostgresInsightsTests(PostgresServedProject project) : InsightsTests<PostgresServedProject>(project);

public sealed class ClickHouseInsightsTests(ClickHouseServedProject project) : InsightsTests<ClickHouseServedProject>(project);

public sealed class ClickHouseClusterInsightsTests(ClickHouseClusterServedProject project) : InsightsTests<ClickHouseClusterServedProject>(project);
