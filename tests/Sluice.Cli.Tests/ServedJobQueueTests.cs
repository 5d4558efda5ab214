using System.Net;
using System.Text.Json;

namespace Sluice.Cli.Tests;

/// <summary>
/// The server's job queue through a real `sluice serve` and real builds: jobs run one at a time in
/// the order asked, the history keeps the latest 100, and a job's log is kept up to 1 MiB. A
/// `gated` job, which reads a named pipe, holds the queue until the test lets it finish.
/// </summary>
public sealed class ServedJobQueueTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(3);
    private readonly ServedJobProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Jobs_run_one_at_a_time_in_the_order_they_were_asked()
    {
        await _project.RunOkAsync("build", "--select", "events");
        await using var server = await _project.ServeAsync();
        using var client = new HttpClient { BaseAddress = server.Url };
        await using var gate = await PipeGate.CreateAsync(_project.Combine("gate.pipe"));

        var gated = await ServedJobProject.PostJobAsync(client, false, "build", "--select", "gated", "--vars", $"{{gate: '{gate.Path}'}}");
        await WaitForReaderAsync(client, gate, gated);
        var asked = new List<string> { Id(gated) };
        foreach (var n in new[] { 4, 5, 6 })
        {
            asked.Add(Id(await ServedJobProject.PostJobAsync(client, false, "build", "--select", "events", "--vars", $"{{n: {n}}}")));
        }

        // While the gated job reads the pipe, it alone runs; the others have not started.
        var held = await ServedJobProject.JobsAsync(client);
        Assert.Equal(["RUNNING", "QUEUED", "QUEUED", "QUEUED"], Ordered(held, asked).Select(ServedJobProject.State));
        Assert.All(Ordered(held, asked).Skip(1), j => Assert.Equal(JsonValueKind.Null, j.GetProperty("started_at").ValueKind));

        await gate.ReleaseAsync("one", "two");
        var done = await ServedJobProject.WaitForJobsAsync(client, jobs => Ordered(jobs, asked).All(ServedJobProject.IsFinished), Guard, "the four jobs finishing");

        var ran = Ordered(done, asked);
        Assert.All(ran, j => Assert.True(ServedJobProject.State(j) == "SUCCEEDED", ServedJobProject.Describe(j)));
        for (var i = 1; i < ran.Count; i++)
        {
            // Recorded as they happened: each job started after the one before it had finished.
            Assert.True(
                ran[i].GetProperty("started_at").GetDateTimeOffset() >= ran[i - 1].GetProperty("completed_at").GetDateTimeOffset(),
                $"{ServedJobProject.Describe(ran[i])} started before {ServedJobProject.Describe(ran[i - 1])} had finished");
        }

        // The three builds of events ran in the order asked: the last one's rows are there.
        var trend = JsonDocument.Parse(await client.GetStringAsync("/api/v1/metrics/score/trend?from=2026-01-01&to=2026-01-31")).RootElement;
        Assert.Equal(6, trend.GetProperty("periods").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));
    }

    [Fact]
    public async Task The_history_keeps_the_latest_100_jobs_counting_those_that_finish_after_the_last_was_asked()
    {
        const int Asked = 105;
        await _project.RunOkAsync("build", "--select", "events");
        await using var server = await _project.ServeAsync();
        using var client = new HttpClient { BaseAddress = server.Url };
        await using var gate = await PipeGate.CreateAsync(_project.Combine("gate.pipe"));

        // Every job is asked for while the first holds the queue, so none of them has finished
        // when the last is asked for.
        var gated = await ServedJobProject.PostJobAsync(client, false, "build", "--select", "gated", "--vars", $"{{gate: '{gate.Path}'}}");
        await WaitForReaderAsync(client, gate, gated);
        var asked = new List<string> { Id(gated) };
        for (var i = 1; i < Asked; i++)
        {
            asked.Add(Id(await ServedJobProject.PostJobAsync(client, false, "test", "--select", "events")));
        }

        Assert.Equal(Asked, (await ServedJobProject.JobsAsync(client)).Count);
        await gate.ReleaseAsync("one");
        await ServedJobProject.WaitForJobsAsync(client, jobs => jobs.Count > 0 && jobs[0].GetProperty("id").GetString() == asked[^1] && ServedJobProject.IsFinished(jobs[0]), Guard, "the last job finishing");

        var kept = await ServedJobProject.JobsAsync(client);
        Assert.Equal(asked.Skip(Asked - 100).Reverse(), kept.Select(Id));
        Assert.All(kept, j => Assert.True(ServedJobProject.State(j) == "SUCCEEDED", ServedJobProject.Describe(j)));
        foreach (var forgotten in asked.Take(Asked - 100))
        {
            using var response = await client.GetAsync($"/api/v1/jobs/{forgotten}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_job_log_past_1_MiB_is_cut_there_with_a_note_saying_so()
    {
        const string Marker = "\n[output cut: the job wrote more than 1 MiB; only the first 1 MiB is kept]\n";
        await _project.RunOkAsync("build", "--select", "events");
        await using var server = await _project.ServeAsync();
        using var client = new HttpClient { BaseAddress = server.Url };

        // The failed model's error, 1.5 million characters long, is logged twice: about 3 MB.
        var job = await ServedJobProject.PostJobAsync(client, true, "build", "--select", "loud", "--vars", "{len: 1500000}");

        Assert.Equal("FAILED", ServedJobProject.State(job));
        var log = job.GetProperty("log").GetString()!;
        Assert.StartsWith("Building 1 resource(s)", log, StringComparison.Ordinal);
        Assert.EndsWith(Marker, log, StringComparison.Ordinal);
        Assert.Equal((1 << 20) + Marker.Length, log.Length);

        // What `sluice build` prints when the server runs it is that same log.
        var handed = await _project.RunAsync("build", "--select", "loud", "--vars", "{len: 1500000}");
        Assert.Equal(1, handed.ExitCode);
        Assert.EndsWith(Marker, handed.Stderr, StringComparison.Ordinal);
        Assert.InRange(handed.Stderr.Length, 1 << 20, (1 << 20) + 1000);
    }

    private static string Id(JsonElement job) => job.GetProperty("id").GetString()!;

    // The jobs with these ids, in the order of the ids.
    private static List<JsonElement> Ordered(IReadOnlyList<JsonElement> jobs, IReadOnlyList<string> ids) =>
        [.. ids.Select(id => jobs.SingleOrDefault(j => Id(j) == id) is { ValueKind: JsonValueKind.Object } job ? job : throw new Xunit.Sdk.XunitException($"job {id} is not listed"))];

    // Until the gated job's query has the pipe open; a gated job that finished will never open it.
    private static Task WaitForReaderAsync(HttpClient client, PipeGate gate, JsonElement gated) =>
        gate.WaitForReaderAsync(
            async () => (await ServedJobProject.JobsAsync(client)).SingleOrDefault(j => Id(j) == Id(gated)) is { ValueKind: JsonValueKind.Object } job && ServedJobProject.IsFinished(job)
                ? ServedJobProject.Describe(job)
                : null,
            Guard);
}
