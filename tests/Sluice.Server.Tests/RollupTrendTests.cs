using System.Text.Json;

namespace Sluice.Server.Tests;

/// <summary>
/// fct_outcome_scores declares a day rollup by program and company and a month rollup of
/// everything: trends they hold come from them, with the figures of the rows computed here.
/// </summary>
public abstract class RollupTrendTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : ServedProject
{
    public static TheoryData<string, string?> Questions => new()
    {
        { "outcome_score/trend?granularity=day&from=2025-01-03&to=2025-02-11", "day" },
        { "outcome_score/trend?granularity=month&from=2025-01-01&to=2025-02-28", "month" },
        { "outcome_score/trend?granularity=month&from=2025-01-06&to=2025-03-09", "day" },
        { "outcome_score/trend?granularity=week&from=2025-01-06&to=2025-03-02&group_by=program&filter[company_id]=acme&filter[company_id]=initech", "day" },
        { "outcome_score/trend?granularity=month&from=2025-01-01&to=2025-03-31&group_by=company_id", "day" },
        { "outcome_score/trend?granularity=week&from=2025-01-06&to=2025-03-02&group_by=dimension", null },
        { "outcome_score/trend?granularity=day&from=2025-01-01&to=2025-01-31&filter[dimension]=belonging", null },
        { "assessments/trend?granularity=month&from=2025-01-01&to=2025-03-31", "month" },
        { "assessments/trend?granularity=week&from=2025-01-06&to=2025-03-02&filter[program]=language", "day" },
        { "score_p90/trend?granularity=month&from=2025-01-01&to=2025-03-31", null },
        { "outcome_score/trend?granularity=total&from=2025-01-03&to=2025-02-11", "day" },
        { "outcome_score/trend?granularity=total&from=2025-01-01&to=2025-03-31&group_by=program", "day" },
        { "assessments/trend?granularity=total&from=2025-01-06&to=2025-03-02&filter[program]=language", "day" },
        { "score_p90/trend?granularity=total&from=2025-01-01&to=2025-03-31", null },
    };

    [Theory]
    [MemberData(nameof(Questions))]
    public async Task A_trend_comes_from_the_coarsest_rollup_that_holds_it_with_the_rows_figures(string question, string? rollup)
    {
        var body = await project.GetAsync($"/api/v1/metrics/{question}&page_size=1000");

        Assert.Equal(rollup, body.GetProperty("rollup").GetString());
        var parameters = Parameters(question);
        var (granularity, from, to) = (parameters["granularity"][0], DateOnly.Parse(parameters["from"][0]), DateOnly.Parse(parameters["to"][0]));
        var groupBy = parameters.TryGetValue("group_by", out var groups) ? groups[0].Split(',') : [];
        var rows = AnalyticsData.Scores.Where(s => Expected.InRange(s.CreatedAt, from, to)
            && parameters.Where(p => p.Key.StartsWith("filter[", StringComparison.Ordinal)).All(f => f.Value.Contains(Field(s, f.Key[7..^1]))));
        var expected = rows
            .GroupBy(s => string.Join("|", groupBy.Select(d => Field(s, d)).Prepend(ServedProject.Day(Expected.PeriodStart(s.CreatedAt, granularity, from)))))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var periods = body.GetProperty("periods").EnumerateArray().ToList();
        Assert.Equal(expected.Select(g => g.Key), periods.Select(p => string.Join("|", groupBy.Select(d => p.GetProperty("group").GetProperty(d).ToString()).Prepend(p.GetProperty("period").GetString()))));
        foreach (var (group, period) in expected.Zip(periods))
        {
            var scores = group.Select(s => s.Score).ToList();
            Assert.Equal(scores.Count, period.GetProperty("count").GetInt64());
            if (question.StartsWith("assessments", StringComparison.Ordinal))
            {
                Expected.Near(scores.Count, period.GetProperty("value"), $"{group.Key} value");
                Assert.Equal(JsonValueKind.Null, period.GetProperty("stddev").ValueKind);
                continue;
            }

            Expected.Near(question.StartsWith("score_p90", StringComparison.Ordinal) ? Expected.Percentile(scores, 0.9) : scores.Average(), period.GetProperty("value"), $"{group.Key} value");
            Expected.Near(scores.Min(), period.GetProperty("min"), $"{group.Key} min");
            Expected.Near(scores.Max(), period.GetProperty("max"), $"{group.Key} max");
            Expected.Near(Expected.SampleStddev(scores), period.GetProperty("stddev"), $"{group.Key} stddev");
        }

        Assert.Equal(expected.Count, body.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_page_past_the_end_of_a_rollup_answer_still_counts_every_period()
    {
        var body = await project.GetAsync("/api/v1/metrics/outcome_score/trend?granularity=day&from=2025-01-01&to=2025-01-31&group_by=program&page=50&page_size=10");

        Assert.Equal("day", body.GetProperty("rollup").GetString());
        Assert.Empty(body.GetProperty("periods").EnumerateArray());
        var expected = AnalyticsData.Scores.Where(s => s.CreatedAt.Month == 1).Select(s => (DateOnly.FromDateTime(s.CreatedAt), s.Program)).Distinct().Count();
        Assert.Equal(expected, body.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    private static string Field(ScoreRow row, string dimension) => dimension switch
    {
        "program" => row.Program,
        "company_id" => row.CompanyId,
        "dimension" => row.Dimension,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Not a dimension of the test metrics."),
    };

    private static Dictionary<string, List<string>> Parameters(string question) =>
        question[(question.IndexOf('?', StringComparison.Ordinal) + 1)..].Split('&')
            .Select(p => p.Split('=', 2))
            .GroupBy(p => p[0], p => p[1])
            .ToDictionary(g => g.Key, g => g.ToList());
}

public sealed class DuckDbRollupTrendTests(DuckDbServedProject project) : RollupTrendTests<DuckDbServedProject>(project);

public sealed class PostgresRollupTrendTests(PostgresServedProject project) : RollupTrendTests<PostgresServedProject>(project);

public sealed class ClickHouseRollupTrendTests(ClickHouseServedProject project) : RollupTrendTests<ClickHouseServedProject>(project);

/// <summary>A rollup that disappears behind the server's back is not an error: the rows answer.</summary>
public sealed class RollupFallbackTests(PostgresServedProject project) : IClassFixture<PostgresServedProject>
{
    [Fact]
    public async Task A_rollup_dropped_by_hand_falls_back_to_the_models_rows()
    {
        const string Path = "/api/v1/metrics/outcome_score/trend?granularity=month&from=2025-01-01&to=2025-03-31&page_size=10";
        var before = await project.GetAsync(Path + "&filter[program]=mentoring");
        Assert.Equal("day", before.GetProperty("rollup").GetString());

        await project.ExecuteAsync("drop table main.fct_outcome_scores__rollup_day");
        var after = await project.GetAsync(Path + "&filter[program]=language");

        Assert.Equal(JsonValueKind.Null, after.GetProperty("rollup").ValueKind);
        var expected = AnalyticsData.Scores.Where(s => s.Program == "language").GroupBy(s => s.CreatedAt.Month).OrderBy(g => g.Key).Select(g => (long)g.Count());
        Assert.Equal(expected, after.GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("count").GetInt64()));

        // Later questions are answered from the rows too, until a build changes the data.
        var again = await project.GetAsync(Path + "&filter[program]=upskilling");
        Assert.Equal(JsonValueKind.Null, again.GetProperty("rollup").ValueKind);
        Assert.Equal(AnalyticsData.Scores.Count(s => s.Program == "upskilling"), again.GetProperty("periods").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));
    }
}
