using System.Text.Json;

namespace Sluice.Server.Tests;

/// <summary>A build changes the data version, so no answer cached before it is served after it.</summary>
public sealed class CacheFreshnessTests(PostgresServedProject project) : IClassFixture<PostgresServedProject>
{
    private const int AnswersPerRound = 40;

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

    [Fact]
    public async Task Under_concurrent_readers_no_answer_is_older_than_the_last_build_before_the_request()
    {
        const string February = "/api/v1/metrics/assessments/trend?granularity=month&from=2025-02-01&to=2025-02-28&filter[program]=mentoring";
        var baseline = Count(await project.GetAsync(February));
        var builds = new List<(long Finished, long Expected)> { (0, baseline) };
        var answers = new System.Collections.Concurrent.ConcurrentBag<(long Sent, long Count)>();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var sent = System.Diagnostics.Stopwatch.GetTimestamp();
                using var response = await project.Client.GetAsync(February);
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                answers.Add((sent, Count(body)));
            }
        })).ToList();

        // Between builds the readers send a number of requests, whatever the time that takes;
        // after the last, until one of them has read what it made.
        for (var round = 1; round <= 3; round++)
        {
            var seen = answers.Count;
            await UntilAsync(() => answers.Count >= seen + AnswersPerRound, readers, $"{AnswersPerRound} answers before build {round}");
            await project.ChangeAndBuildAsync(session => session.ExecuteAsync(
                $"insert into raw.scores (id, company_id, program, dimension, created_at, score, note) select {200000 + round * 100} + i, 'globex', 'mentoring', 'confidence', timestamp '2025-02-10 08:00:00', 60, 'round' from generate_series(1, {round}) as i"));
            builds.Add((System.Diagnostics.Stopwatch.GetTimestamp(), builds[^1].Expected + round));
        }

        await UntilAsync(() => answers.Any(a => a.Count == builds[^1].Expected), readers, "an answer with the last build's rows");
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        // Each answer is one of the built states, and never one from before the last build that
        // had finished when its request was sent.
        var states = builds.Select(b => b.Expected).ToHashSet();
        Assert.True(answers.Count >= 3 * AnswersPerRound, $"only {answers.Count} answers");
        foreach (var (sent, count) in answers)
        {
            Assert.Contains(count, states);
            var newest = builds.Last(b => b.Finished <= sent).Expected;
            Assert.True(count >= newest, $"an answer of {count} rows was served after the build that made it {newest}");
        }

        Assert.Contains(answers, a => a.Count == builds[^1].Expected);
    }

    // Waits for a condition while the readers run; a reader's failure or five minutes without
    // the condition fail the test (a guard against hanging, not a measure of speed).
    private static async Task UntilAsync(Func<bool> condition, List<Task> readers, string what)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (readers.FirstOrDefault(r => r.IsFaulted) is { } failed)
            {
                await failed;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(5), $"waited five minutes for {what}");
            await Task.Delay(10);
        }
    }

    private static long Count(JsonElement body) => body.GetProperty("periods")[0].GetProperty("count").GetInt64();
}
