using System.Net.Http.Json;
using System.Text.Json;

namespace Sluice.Cli.Tests;

/// <summary>
/// A `sluice serve` stopped by SIGTERM while a job runs and others wait: the running job is
/// cancelled at once and rolls back, the waiting ones never run, clients waiting for them are
/// answered, the announcement goes, and the process exits 0.
/// </summary>
public sealed class ServerStopTests : IDisposable
{
    private readonly ServedJobProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Sigterm_cancels_the_running_job_drops_the_queued_ones_and_exits_0()
    {
        await _project.RunOkAsync("build", "--select", "events", "endless", "--vars", "{k: 1}");
        var marker = _project.Combine("endless-started.csv");
        await using var server = await _project.ServeAsync();
        using var client = new HttpClient { BaseAddress = server.Url, Timeout = Timeout.InfiniteTimeSpan };

        // Clients that wait for their jobs, as `sluice build` against a served project does.
        var running = WaitForJobAsync(client, "--select", "endless", "--vars", $"{{k: 2, big: {ServedJobProject.Big}, marker: '{marker}'}}");
        await WaitForFileAsync(marker, running);
        Task<JsonElement>[] queued = [WaitForJobAsync(client, "--select", "events", "--vars", "{k: 3}"), WaitForJobAsync(client, "--select", "endless", "--vars", "{k: 4}")];
        await ServedJobProject.WaitForJobsAsync(client, jobs => jobs.Count(j => ServedJobProject.State(j) == "QUEUED") == 2, TimeSpan.FromMinutes(1), "two jobs queueing");

        // Without cancelling the job first, the stop would wait on it (its query runs for hours)
        // until the command line's grace ended the process with 143, and the clients' requests
        // with it.
        await server.StopAsync();

        Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}: {await server.Errors}");
        Assert.False(File.Exists(_project.Announcement));
        var cancelled = await running;
        Assert.Equal("CANCELLED", ServedJobProject.State(cancelled));
        Assert.Equal(130, cancelled.GetProperty("exit_code").GetInt32());
        Assert.Equal(JsonValueKind.String, cancelled.GetProperty("started_at").ValueKind);
        Assert.Contains("error: cancelled.\n", cancelled.GetProperty("log").GetString(), StringComparison.Ordinal);
        foreach (var job in await Task.WhenAll(queued))
        {
            Assert.Equal("CANCELLED", ServedJobProject.State(job));
            Assert.Equal(JsonValueKind.Null, job.GetProperty("started_at").ValueKind);
            Assert.Equal(JsonValueKind.Null, job.GetProperty("exit_code").ValueKind);
            Assert.Equal("error: the server stopped before the job started\n", job.GetProperty("log").GetString());
        }

        // The cancelled build left the table it was replacing, and the jobs that waited built
        // nothing: each model has the rows and the one successful run of the first build.
        const string State = "select (select string_agg(k, ',') from events) as events, (select string_agg(k, ',') from endless) as endless, "
            + "(select string_agg(job_name || '=' || n, ' ' order by job_name) from (select job_name, count(*) as n from _sluice.job_runs where status = 'SUCCESS' group by job_name)) as successes";
        Assert.Equal("events,endless,successes\n\"1,1,1\",1,endless=1 events=1\n", await _project.QueryAsync(State));

        await _project.RunOkAsync("build", "--select", "events", "endless", "--vars", "{k: 5}");
        Assert.Equal("events,endless,successes\n\"5,5,5\",5,endless=2 events=2\n", await _project.QueryAsync(State));
        Assert.Equal("running\n0\n", await _project.QueryAsync("select count(*) as running from _sluice.job_runs where status = 'RUNNING'"));
    }

    [Fact]
    public async Task A_job_that_cannot_be_interrupted_holds_the_stop_no_longer_than_its_bound()
    {
        await _project.RunOkAsync("build", "--select", "events");
        await using var server = await _project.ServeAsync();
        using var client = new HttpClient { BaseAddress = server.Url };
        await using var gate = await PipeGate.CreateAsync(_project.Combine("gate.pipe"));

        // DuckDB checks for an interrupt between chunks of work; a query blocked reading a pipe
        // that nobody writes does not get there, so the cancelled job cannot end.
        var gated = await ServedJobProject.PostJobAsync(client, false, "build", "--select", "gated", "--vars", $"{{gate: '{gate.Path}'}}");
        await gate.WaitForReaderAsync(
            async () => (await ServedJobProject.JobsAsync(client)).FirstOrDefault(ServedJobProject.IsFinished) is { ValueKind: JsonValueKind.Object } job ? ServedJobProject.Describe(job) : null,
            TimeSpan.FromMinutes(2));

        // Waiting for the job would last until the pipe is closed, here never: the command
        // line's grace would end the process with 143.
        await server.StopAsync();

        var log = await server.Errors;
        Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}: {log}");
        Assert.Contains("A cancelled job was still running 10 s after the stop began", log, StringComparison.Ordinal);
        Assert.False(File.Exists(_project.Announcement));
        Assert.Equal("gated,events\n0,3\n", await _project.QueryAsync(
            "select (select count(*) from information_schema.tables where table_name like 'gated%') as gated, (select count(*) from events) as events"));
        await _project.RunOkAsync("build", "--select", "events", "--vars", "{n: 4}");
        Assert.Equal("events\n4\n", await _project.QueryAsync("select count(*) as events from events"));
    }

    private static async Task<JsonElement> WaitForJobAsync(HttpClient client, params string[] arguments)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/jobs", new { command = "build", arguments, wait = true });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"build {string.Join(' ', arguments)}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    // Until the job's pre_hook has written the marker: its endless query starts next.
    private static async Task WaitForFileAsync(string file, Task<JsonElement> job)
    {
        var guard = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(file))
        {
            if (job.IsCompleted)
            {
                Assert.Fail($"the job ended before its query started: {ServedJobProject.Describe(await job)}");
            }

            Assert.True(guard.Elapsed < TimeSpan.FromMinutes(2), $"{Path.GetFileName(file)} did not appear within 2 minutes");
            await Task.WhenAny(job, Task.Delay(20));
        }
    }
}
