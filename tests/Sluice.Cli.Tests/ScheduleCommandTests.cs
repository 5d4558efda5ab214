using System.Globalization;
using System.Text.Json;
using Sluice.Testing;

namespace Sluice.Cli.Tests;

public sealed class ScheduleCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Schedule_runs_due_ticks_holds_the_duckdb_file_and_stops_cleanly_on_sigterm()
    {
        var directory = await InitAsync("""
            schedules:
              - {name: often, cron: "*/2 * * * * *", command: build}
              - {name: nightly, cron: "15 3 * * *", timezone: Europe/Berlin, command: [build, "test --date yesterday"]}
            """);

        await using var scheduler = ScheduledProcess.Start(directory);
        await scheduler.WaitForAsync(events => ScheduledProcess.Named(events, "succeeded", "often").Count() >= 2, "two runs of `often` succeeded");

        // Every line is a JSON object with a time; the start line names each schedule's next run.
        Assert.All(scheduler.Lines, line => Assert.True(JsonDocument.Parse(line).RootElement.TryGetProperty("time", out _), line));
        var started = ScheduledProcess.Named(scheduler.Events, "scheduler_started").Single();
        Assert.Equal(["often", "nightly"], started.GetProperty("schedules").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Contains(ScheduledProcess.Named(scheduler.Events, "output"), e => e.GetProperty("command").GetString() == "build");

        // It holds the DuckDB file: a second scheduler and a pipeline command are told who has it.
        var second = await SluiceProcess.RunAsync(directory, "schedule");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"already run in sluice schedule (pid {scheduler.ProcessId})", second.Stderr);
        var build = await SluiceProcess.RunAsync(directory, "build");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains($"held by sluice schedule (pid {scheduler.ProcessId})", build.Stderr);
        Assert.True(File.Exists(Path.Combine(directory, "warehouse.duckdb.serving")));

        await scheduler.SignalAndWaitAsync("TERM");
        Assert.Equal(0, scheduler.ExitCode);
        Assert.Equal("scheduler_stopped", scheduler.Events[^1].GetProperty("event").GetString());
        Assert.False(File.Exists(Path.Combine(directory, "warehouse.duckdb.serving")));

        // What it logged is what it recorded: each tick once, on a whole even second, and nothing left RUNNING.
        var runs = await QueryAsync(directory, "select schedule_name, reason, status, scheduled_for from _sluice.schedule_runs order by started_at");
        var logged = ScheduledProcess.Named(scheduler.Events, "succeeded", "often").Select(e => e.GetProperty("run_id").GetString()).ToList();
        Assert.True(runs.Count >= logged.Count, string.Join('\n', runs.Select(r => string.Join(',', r))));
        Assert.DoesNotContain(runs, r => r[2] == "RUNNING");
        var ticks = runs.Where(r => r[0] == "often" && r[2] == "SUCCESS").Select(r => DateTimeOffset.Parse(r[3], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ticks.Count, ticks.Distinct().Count());
        Assert.All(ticks, t => Assert.Equal((0, 0), (t.Second % 2, t.Millisecond)));
    }

    [Fact]
    public async Task Serve_runs_the_schedules_as_jobs_shows_them_and_takes_triggers_from_the_cli()
    {
        var directory = await InitAsync("""
            schedules:
              - {name: often, cron: "*/2 * * * * *", command: build}
              - {name: nightly, cron: "15 3 * * *", timezone: Europe/Berlin, command: ["build", "test --date yesterday"]}
            """);
        await using var served = await ServedProcess.StartAsync(directory, ["serve"], Path.Combine(directory, "warehouse.duckdb.serving"));
        using var client = new HttpClient { BaseAddress = served.Url };

        JsonElement often;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            var listed = JsonDocument.Parse(await client.GetStringAsync("/api/v1/schedules")).RootElement;
            Assert.Equal("this server", listed.GetProperty("run_by").GetString());
            often = listed.GetProperty("schedules").EnumerateArray().First(s => s.GetProperty("name").GetString() == "often");
            if (often.GetProperty("last_status").ValueKind == JsonValueKind.String)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no run of `often` was recorded: {listed}");
            await Task.Delay(100);
        }

        Assert.Equal("SUCCESS", often.GetProperty("last_status").GetString());
        Assert.True(often.GetProperty("next_run").GetDateTimeOffset() > often.GetProperty("last_tick").GetDateTimeOffset());

        // Scheduled commands are the server's jobs.
        var jobs = JsonDocument.Parse(await client.GetStringAsync("/api/v1/jobs")).RootElement;
        Assert.Contains(jobs.EnumerateArray(), j => j.GetProperty("command").GetString() == "build" && j.GetProperty("state").GetString() == "SUCCEEDED");

        // `sluice trigger` on the served project runs in the server.
        var triggered = await SluiceProcess.RunAsync(directory, "trigger", "nightly");
        Assert.True(triggered.ExitCode == 0, triggered.ToString());
        Assert.Contains($"served by sluice serve (pid {served.ProcessId}", triggered.Stderr);
        Assert.Contains("Schedule nightly ran (1 attempt(s)", triggered.Stderr);
        var unknown = await client.PostAsync("/api/v1/schedules/weekly/trigger", null);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);

        await served.StopAsync();
        Assert.Equal(0, served.ExitCode);
        var runs = await QueryAsync(directory, "select schedule_name, reason, status from _sluice.schedule_runs");
        Assert.Contains(["nightly", "manual", "SUCCESS"], runs);
        Assert.Contains(runs, r => r[0] == "often" && r[2] == "SUCCESS");
        Assert.DoesNotContain(runs, r => r[2] == "RUNNING");
    }

    [Fact]
    public async Task A_failing_scheduled_run_notifies_its_channels_and_the_scheduler_goes_on()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var directory = await InitAsync($$"""
            channels:
              - {name: hook, type: webhook, url: "{{receiver.UrlFor("/hooks/sluice")}}"}
            schedules:
              - {name: broken, cron: "*/2 * * * * *", command: "build --select broken", notify: [hook]}
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "models", "broken.sql"), "select * from no_such_table\n");

        await using var scheduler = ScheduledProcess.Start(directory);
        await scheduler.WaitForAsync(events => ScheduledProcess.Named(events, "delivery").Any(), "a notification was delivered");
        await receiver.WaitForRequestsAsync(1);
        await scheduler.WaitForAsync(events => ScheduledProcess.Named(events, "started", "broken").Count() >= 2, "the scheduler ran the next tick");
        await scheduler.SignalAndWaitAsync("TERM");
        Assert.Equal(0, scheduler.ExitCode);

        var failed = ScheduledProcess.Named(scheduler.Events, "failed", "broken").First();
        Assert.Contains("`build --select broken` exited with code", failed.GetProperty("message").GetString());
        var delivery = ScheduledProcess.Named(scheduler.Events, "delivery").First();
        Assert.Equal(("delivered", "hook", "job_failed"), (delivery.GetProperty("outcome").GetString(), delivery.GetProperty("channel").GetString(), delivery.GetProperty("notification").GetString()));

        var body = JsonDocument.Parse(receiver.Requests[0].Body).RootElement;
        Assert.Equal("/hooks/sluice", receiver.Requests[0].Path);
        Assert.Equal("job_failed", body.GetProperty("kind").GetString());
        Assert.Contains("broken", body.GetProperty("title").GetString());
        Assert.Equal(failed.GetProperty("run_id").GetString(), body.GetProperty("fields").GetProperty("run").GetString());
    }

    [Fact]
    public async Task Trigger_runs_a_schedule_now_as_a_manual_run_and_schedules_lists_them()
    {
        var directory = await InitAsync("""
            schedules:
              - {name: nightly, cron: "15 3 * * *", timezone: Europe/Berlin, command: ["build", "test --date yesterday"]}
            """);

        var triggered = await SluiceProcess.RunAsync(directory, "trigger", "nightly");
        Assert.True(triggered.ExitCode == 0, triggered.ToString());
        Assert.Contains("Schedule nightly ran (1 attempt", triggered.Stderr);

        var runs = await QueryAsync(directory, "select schedule_name, reason, status, coalesce(cast(scheduled_for as varchar), '-') from _sluice.schedule_runs");
        Assert.Equal([["nightly", "manual", "SUCCESS", "-"]], runs);

        var listed = await SluiceProcess.RunAsync(directory, "schedules", "--format", "json");
        Assert.Equal(0, listed.ExitCode);
        var schedule = JsonDocument.Parse(listed.Stdout).RootElement.EnumerateArray().Single();
        Assert.Equal("Europe/Berlin", schedule.GetProperty("timezone").GetString());
        Assert.Equal(["build", "test --date yesterday"], schedule.GetProperty("commands").EnumerateArray().Select(c => c.GetString()));
        var next = schedule.GetProperty("next_run").GetDateTimeOffset();
        var local = TimeZoneInfo.ConvertTime(next, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Equal((3, 15), (local.Hour, local.Minute));
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromHours(24));

        var unknown = await SluiceProcess.RunAsync(directory, "trigger", "weekly");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("there is no schedule 'weekly'; the schedules are nightly", unknown.Stderr);
    }

    [Theory]
    [InlineData("  - {name: a, cron: \"0 25 * * *\", command: build}", "schedule 'a': '0 25 * * *' is not a cron expression")]
    [InlineData("  - {name: a, cron: \"@daily\", timezone: Europe/Nowhere, command: build}", "unknown time zone 'Europe/Nowhere'")]
    [InlineData("  - {name: a, cron: \"@daily\", command: build, timeout: 5 minutes}", "timeout must be a duration")]
    [InlineData("  - {name: a, cron: \"@daily\", command: \"build --select no_such_model\"}", "schedule 'a': `build --select no_such_model`: --select 'no_such_model' matches no model")]
    [InlineData("  - {name: a, cron: \"@daily\", command: \"build --colour\"}", "schedule 'a': `build --colour`: Unrecognized command or argument '--colour'")]
    public async Task A_bad_schedule_stops_the_start_at_its_line_with_exit_code_2(string schedule, string message)
    {
        var directory = await InitAsync("schedules:\n" + schedule + "\n");
        var line = File.ReadAllLines(Path.Combine(directory, "sluice.yml")).Length;

        foreach (var verb in new[] { "schedule", "trigger a" })
        {
            var result = await SluiceProcess.RunAsync(directory, verb.Split(' '));
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains($"sluice.yml:{line}:", result.Stderr);
            Assert.Contains(message, result.Stderr);
        }

        Assert.False(File.Exists(Path.Combine(directory, "warehouse.duckdb.serving")));
    }

    [Fact]
    public async Task Two_schedulers_on_one_postgres_warehouse_run_each_tick_once_and_the_second_takes_over_when_the_first_dies()
    {
        var server = await PostgresServer.GetAsync();
        var url = await server.CreateDatabaseAsync("schedulers");
        var directory = await InitAsync("""
            schedules:
              - {name: often, cron: "*/2 * * * * *", command: build}
            """);
        var yml = Path.Combine(directory, "sluice.yml");
        File.WriteAllText(yml, File.ReadAllText(yml).Replace("  type: duckdb\n  path: warehouse.duckdb\n", $"  type: postgres\n  url: {url}\n", StringComparison.Ordinal));

        await using var first = ScheduledProcess.Start(directory);
        await first.WaitForAsync(events => ScheduledProcess.Named(events, "succeeded").Any(), "the first scheduler ran a tick");
        await using var second = ScheduledProcess.Start(directory, "--standby-poll", "1s");
        await second.WaitForAsync(events => ScheduledProcess.Named(events, "standby").Any(), "the second scheduler stood by");
        var standby = ScheduledProcess.Named(second.Events, "standby").Single();
        Assert.StartsWith($"sluice schedule on {Environment.MachineName} (pid {first.ProcessId})", standby.GetProperty("holder").GetString());

        var before = ScheduledProcess.Named(first.Events, "succeeded").Count();
        await first.WaitForAsync(events => ScheduledProcess.Named(events, "succeeded").Count() >= before + 2, "the first ran two more ticks while the second stood by");
        Assert.Empty(ScheduledProcess.Named(second.Events, "started"));

        await first.SignalAndWaitAsync("KILL");
        await second.WaitForAsync(events => ScheduledProcess.Named(events, "succeeded").Count() >= 2, "the second took over and ran two ticks");
        Assert.Single(ScheduledProcess.Named(second.Events, "took_over"));
        await second.SignalAndWaitAsync("TERM");
        Assert.Equal(0, second.ExitCode);

        var runs = await QueryAsync(directory, "select status, cast(scheduled_for as varchar), pid from _sluice.schedule_runs order by started_at");
        var succeeded = runs.Where(r => r[0] == "SUCCESS").ToList();
        Assert.Equal(succeeded.Count, succeeded.Select(r => r[1]).Distinct().Count());
        Assert.Contains(succeeded, r => r[2] == first.ProcessId.ToString(CultureInfo.InvariantCulture));
        Assert.Contains(succeeded, r => r[2] == second.ProcessId.ToString(CultureInfo.InvariantCulture));
        Assert.DoesNotContain(runs, r => r[0] == "RUNNING");
    }

    private async Task<string> InitAsync(string schedules)
    {
        var directory = _temp.Combine($"project{Guid.NewGuid():N}"[..16]);
        var init = await SluiceProcess.RunAsync(_temp.Path, "init", directory);
        Assert.True(init.ExitCode == 0, init.ToString());
        await File.AppendAllTextAsync(Path.Combine(directory, "sluice.yml"), "\n" + schedules);
        return directory;
    }

    private static async Task<List<string[]>> QueryAsync(string directory, string sql)
    {
        var result = await SluiceProcess.RunAsync(directory, "query", sql, "--format", "csv");
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.TrimEnd('\r').Split(','))];
    }
}
