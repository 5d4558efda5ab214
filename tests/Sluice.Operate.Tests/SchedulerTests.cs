using Sluice.Operate.Schedules;

namespace Sluice.Operate.Tests;

public sealed class SchedulerTests
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 10, 0, 30, TimeSpan.Zero);

    [Fact]
    public async Task Ticks_run_at_their_local_time_in_a_zone_across_the_change_to_summer_time()
    {
        // Europe/Berlin moves from UTC+1 to UTC+2 at 02:00 UTC+1 on 29 March 2026: 03:15 local
        // is 02:15 UTC before that day and 01:15 UTC from it; 02:30 local does not exist that night.
        await using var harness = new SchedulerHarness(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero), """
            schedules:
              - {name: nightly, cron: "15 3 * * *", timezone: Europe/Berlin, command: "build --date today"}
              - {name: gap, cron: "30 2 * * *", timezone: Europe/Berlin, command: "test --date yesterday"}
            """);
        var scheduler = harness.Start();

        await harness.AdvanceUntilAsync(scheduler, () => harness.Events.Count(e => e.Kind == ScheduleEventKind.Succeeded) == 6, "three runs of each schedule ended");

        var runs = await harness.RunsAsync();
        Assert.Equal(
            [Utc(2026, 3, 28, 2, 15), Utc(2026, 3, 29, 1, 15), Utc(2026, 3, 30, 1, 15)],
            runs.Where(r => r.Schedule == "nightly").Select(r => r.ScheduledFor));
        Assert.Equal(
            [Utc(2026, 3, 28, 1, 30), Utc(2026, 3, 29, 1, 0), Utc(2026, 3, 30, 0, 30)],
            runs.Where(r => r.Schedule == "gap").Select(r => r.ScheduledFor));
        Assert.All(runs, r => Assert.Equal(("cron", "SUCCESS", 1), (r.Reason, r.Status, r.Attempts)));

        // Relative days are days of the schedule's zone on the day of the tick.
        Assert.Equal(
            ["2026-03-28", "2026-03-29", "2026-03-30"],
            harness.Calls.Where(c => c.Command == "build").Select(c => c.Arguments[1]));
        Assert.Equal(
            ["2026-03-27", "2026-03-28", "2026-03-29"],
            harness.Calls.Where(c => c.Command == "test").Select(c => c.Arguments[1]));

        // Each ran when it was due, not later.
        Assert.All(harness.Calls.Zip(runs), pair => Assert.Equal(pair.Second.ScheduledFor, pair.First.At));
    }

    [Fact]
    public async Task A_time_that_occurs_twice_when_the_clocks_go_back_runs_once()
    {
        // On 25 October 2026 Europe/Berlin goes from UTC+2 back to UTC+1 at 03:00: 02:30 local happens twice.
        await using var harness = new SchedulerHarness(new DateTimeOffset(2026, 10, 23, 12, 0, 0, TimeSpan.Zero), """
            schedules:
              - {name: night, cron: "30 2 * * *", timezone: Europe/Berlin, command: build}
            """);
        var scheduler = harness.Start();

        await harness.AdvanceUntilAsync(scheduler, () => harness.Events.Count(e => e.Kind == ScheduleEventKind.Succeeded) == 3, "three runs ended");

        Assert.Equal(
            [Utc(2026, 10, 24, 0, 30), Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 26, 1, 30)],
            (await harness.RunsAsync()).Select(r => r.ScheduledFor));
    }

    [Fact]
    public async Task After_downtime_a_schedule_runs_once_for_the_latest_missed_tick_and_then_on_time()
    {
        await using var harness = new SchedulerHarness(Morning, """
            schedules:
              - {name: sync-hourly, cron: "@hourly", command: sync}
            """);
        var first = harness.Start();
        await harness.AdvanceUntilAsync(first, () => harness.Events.Any(e => e.Kind == ScheduleEventKind.Succeeded), "the 11:00 sync ran");
        await harness.StopAsync(first);

        // Down from 11:00 to 16:20: the 12:00 … 16:00 ticks are missed.
        harness.Clock.Advance(Utc(2026, 3, 2, 16, 20) - harness.Clock.GetUtcNow());
        var second = harness.Start();
        await harness.AdvanceUntilAsync(second, () => harness.Events.Count(e => e.Kind == ScheduleEventKind.Succeeded) == 3, "the catch-up and the 17:00 sync ran");

        var runs = await harness.RunsAsync();
        Assert.Equal(
            [("cron", Utc(2026, 3, 2, 11, 0)), ("catch_up", Utc(2026, 3, 2, 16, 0)), ("cron", Utc(2026, 3, 2, 17, 0))],
            runs.Select(r => (r.Reason, r.ScheduledFor)));
        Assert.Equal(Utc(2026, 3, 2, 16, 20), harness.Calls.ElementAt(1).At);
        Assert.Contains(harness.Events, e => e.Kind == ScheduleEventKind.Started && e.Reason == "catch_up" && e.Message!.StartsWith("4 earlier tick(s) missed", StringComparison.Ordinal));

        var standing = (await harness.StandingsAsync())["sync-hourly"];
        Assert.Equal((Utc(2026, 3, 2, 17, 0), "SUCCESS", Utc(2026, 3, 2, 18, 0)), (standing.LastTick, standing.LastStatus, standing.NextDue));
    }

    [Fact]
    public async Task A_tick_recorded_as_run_does_not_run_again_after_a_restart()
    {
        await using var harness = new SchedulerHarness(Morning, """
            schedules:
              - {name: sync-hourly, cron: "@hourly", command: sync}
            """);
        var first = harness.Start();
        await harness.AdvanceUntilAsync(first, () => harness.Events.Any(e => e.Kind == ScheduleEventKind.Succeeded), "the 11:00 sync ran");
        await harness.StopAsync(first);

        var second = harness.Start();
        await SchedulerHarness.WaitUntilAsync(() => second.WaitingUntil is not null, "the restarted scheduler waits");

        Assert.Single(harness.Calls);
        Assert.Equal(Utc(2026, 3, 2, 12, 0), second.NextDue(harness.Schedules[0]));
    }

    [Fact]
    public async Task A_failed_run_is_retried_after_doubling_waits_and_recorded_once()
    {
        await using var harness = new SchedulerHarness(Morning, """
            schedules:
              - {name: nightly, cron: "0 11 * * *", command: build, retries: 3, retry_delay: 1m}
            """);
        harness.Behaviour = async (call, error) =>
        {
            if (harness.Calls.Count < 3)
            {
                await error.WriteLineAsync("error: the source refused the connection");
                return 1;
            }

            return 0;
        };
        var scheduler = harness.Start();

        await harness.AdvanceUntilAsync(scheduler, () => harness.Calls.Count == 3, "the third attempt ran");
        await harness.AdvanceUntilAsync(scheduler, () => harness.Events.Any(e => e.Kind == ScheduleEventKind.Succeeded), "the run succeeded");

        Assert.Equal([Utc(2026, 3, 2, 11, 0), Utc(2026, 3, 2, 11, 1), Utc(2026, 3, 2, 11, 3)], harness.Calls.Select(c => c.At));
        var run = Assert.Single(await harness.RunsAsync());
        Assert.Equal(("SUCCESS", 3, 0), (run.Status, run.Attempts, run.ExitCode));
        Assert.Equal(2, harness.Events.Count(e => e.Kind == ScheduleEventKind.Retrying));
        Assert.Contains("the source refused the connection", harness.Events.First(e => e.Kind == ScheduleEventKind.Retrying).Message);
    }

    [Fact]
    public async Task A_run_that_fails_every_attempt_is_failed_with_the_commands_error_and_the_next_steps_do_not_run()
    {
        await using var harness = new SchedulerHarness(Morning, """
            schedules:
              - {name: nightly, cron: "0 11 * * *", command: [sync, build], retries: 1, retry_delay: 5m}
            """);
        harness.Behaviour = async (call, error) =>
        {
            await error.WriteLineAsync("error: table raw.app__orders is locked");
            return 3;
        };
        var scheduler = harness.Start();

        await harness.AdvanceUntilAsync(scheduler, () => harness.Events.Any(e => e.Kind == ScheduleEventKind.Failed), "the run failed");

        Assert.Equal(["sync", "sync"], harness.Calls.Select(c => c.Command));
        var run = Assert.Single(await harness.RunsAsync());
        Assert.Equal(("FAILED", 2, 3), (run.Status, run.Attempts, run.ExitCode));
        Assert.Equal("`sync` exited with code 3: error: table raw.app__orders is locked", run.Error);
        Assert.Equal("FAILED", (await harness.StandingsAsync())["nightly"].LastStatus);
    }

    [Fact]
    public async Task A_run_past_its_timeout_is_cancelled_and_recorded_as_timed_out()
    {
        await using var harness = new SchedulerHarness(Morning, """
            schedules:
              - {name: slow, cron: "0 11 * * *", command: build, timeout: 10m}
            """);
        harness.Behaviour = async (call, _) =>
        {
            await Task.Delay(Timeout.Infinite, call.Token);
            return 0;
        };
        var scheduler = harness.Start();
        await harness.AdvanceUntilAsync(scheduler, () => !harness.Calls.IsEmpty, "the build started");

        harness.Clock.Advance(TimeSpan.FromMinutes(10));
        await SchedulerHarness.WaitUntilAsync(() => harness.Events.Any(e => e.Kind == ScheduleEventKind.TimedOut), "the run timed out");

        var run = Assert.Single(await harness.RunsAsync());
        Assert.Equal("TIMED_OUT", run.Status);
        Assert.Contains("longer than the schedule's timeout of 00:10:00", run.Error);
        Assert.True(harness.Calls.Single().Token.IsCancellationRequested);
    }

    [Fact]
    public async Task Stopping_mid_run_gives_the_run_its_grace_period_then_cancels_it_and_a_restart_runs_the_tick_again()
    {
        await using var harness = new SchedulerHarness(Morning, """
            schedules:
              - {name: nightly, cron: "0 11 * * *", command: build}
            """);
        harness.Behaviour = async (call, _) =>
        {
            await Task.Delay(Timeout.Infinite, call.Token);
            return 0;
        };
        var first = harness.Start();
        await harness.AdvanceUntilAsync(first, () => !harness.Calls.IsEmpty, "the build started");

        var stopped = harness.StopAsync(first);
        var token = harness.Calls.Single().Token;
        harness.Clock.Advance(harness.Grace - TimeSpan.FromSeconds(1));
        Assert.False(token.IsCancellationRequested, "the run was cancelled before its grace period ended");
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await stopped.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(token.IsCancellationRequested);

        var cancelled = Assert.Single(await harness.RunsAsync());
        Assert.Equal("CANCELLED", cancelled.Status);
        Assert.False((await harness.StandingsAsync()).TryGetValue("nightly", out var standing) && standing.LastTick is not null);

        harness.Behaviour = (_, _) => Task.FromResult(0);
        var second = harness.Start();
        await harness.AdvanceUntilAsync(second, () => harness.Calls.Count == 2, "the tick ran again");
        await harness.AdvanceUntilAsync(second, () => harness.Events.Any(e => e.Kind == ScheduleEventKind.Succeeded), "it succeeded");

        var runs = await harness.RunsAsync();
        Assert.Equal([("CANCELLED", Utc(2026, 3, 2, 11, 0)), ("SUCCESS", Utc(2026, 3, 2, 11, 0))], runs.Select(r => (r.Status, r.ScheduledFor)));
        Assert.Equal(Utc(2026, 3, 2, 11, 0), (await harness.StandingsAsync())["nightly"].LastTick);
    }

    [Fact]
    public async Task A_run_whose_scheduler_loses_its_hold_is_cancelled_at_once_and_its_tick_is_left_unrun()
    {
        await using var harness = new SchedulerHarness(Morning, """
            schedules:
              - {name: nightly, cron: "0 11 * * *", command: build, retries: 2}
            """);
        harness.Behaviour = async (call, _) =>
        {
            await Task.Delay(Timeout.Infinite, call.Token);
            return 0;
        };
        await using var lease = new HandLease();
        var scheduler = harness.Start(lease);
        await harness.AdvanceUntilAsync(scheduler, () => !harness.Calls.IsEmpty, "the build started");

        // No grace period and no retry: another process may be starting the same run.
        lease.Lose();
        await SchedulerHarness.WaitUntilAsync(() => harness.Events.Any(e => e.Kind == ScheduleEventKind.Cancelled), "the run was cancelled");

        Assert.True(harness.Calls.Single().Token.IsCancellationRequested);
        var run = Assert.Single(await harness.RunsAsync());
        Assert.Equal(("CANCELLED", 1), (run.Status, run.Attempts));
        Assert.Contains("lost the scheduler's hold", run.Error, StringComparison.Ordinal);
        Assert.False((await harness.StandingsAsync()).TryGetValue("nightly", out var standing) && standing.LastTick is not null);
    }

    [Fact]
    public async Task A_run_that_ends_within_the_grace_period_completes_and_counts()
    {
        await using var harness = new SchedulerHarness(Morning, """
            schedules:
              - {name: nightly, cron: "0 11 * * *", command: build}
            """);
        var finish = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Behaviour = (_, _) => finish.Task;
        var scheduler = harness.Start();
        await harness.AdvanceUntilAsync(scheduler, () => !harness.Calls.IsEmpty, "the build started");

        var stopped = harness.StopAsync(scheduler);
        finish.SetResult(0);
        await stopped.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("SUCCESS", Assert.Single(await harness.RunsAsync()).Status);
        Assert.Equal(Utc(2026, 3, 2, 11, 0), (await harness.StandingsAsync())["nightly"].LastTick);
    }

    [Fact]
    public async Task A_run_left_running_by_a_dead_scheduler_is_marked_interrupted_and_its_tick_runs_again()
    {
        await using var harness = new SchedulerHarness(Morning, """
            schedules:
              - {name: nightly, cron: "0 11 * * *", command: build}
            """);

        // A scheduler planned the 11:00 tick, started it and died.
        var first = harness.Start();
        await SchedulerHarness.WaitUntilAsync(() => first.WaitingUntil is not null, "the first scheduler planned");
        await harness.StopAsync(first);
        await using (var session = await harness.OpenSessionAsync())
        {
            await ScheduleStore.StartAsync(session, "nightly", "cron", Utc(2026, 3, 2, 11, 0), Utc(2026, 3, 2, 11, 0), CancellationToken.None);
        }

        harness.Clock.Advance(Utc(2026, 3, 2, 11, 5) - harness.Clock.GetUtcNow());
        var second = harness.Start();
        await harness.AdvanceUntilAsync(second, () => harness.Events.Any(e => e.Kind == ScheduleEventKind.Succeeded), "the tick ran again");

        Assert.Equal(
            [("INTERRUPTED", Utc(2026, 3, 2, 11, 0)), ("SUCCESS", Utc(2026, 3, 2, 11, 0))],
            (await harness.RunsAsync()).Select(r => (r.Status, r.ScheduledFor)));
        Assert.Contains(harness.Events, e => e.Kind == ScheduleEventKind.Interrupted && e.Schedule == "nightly");
    }

    [Fact]
    public async Task A_triggered_run_goes_first_and_leaves_the_cron_ticks_alone()
    {
        await using var harness = new SchedulerHarness(Morning, """
            schedules:
              - {name: nightly, cron: "0 11 * * *", command: "backfill --from today-2 --to yesterday"}
            """);
        var scheduler = harness.Start();
        await SchedulerHarness.WaitUntilAsync(() => scheduler.WaitingUntil is not null, "the scheduler waits");

        var run = await scheduler.TriggerAsync("nightly").WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.Succeeded);
        Assert.Equal(["--from", "2026-02-28", "--to", "2026-03-01"], harness.Calls.Single().Arguments);
        var manual = Assert.Single(await harness.RunsAsync());
        Assert.Equal(("manual", null), (manual.Reason, manual.ScheduledFor));
        Assert.Null((await harness.StandingsAsync())["nightly"].LastTick);

        await harness.AdvanceUntilAsync(scheduler, () => harness.Events.Count(e => e.Kind == ScheduleEventKind.Succeeded) == 2, "the 11:00 tick ran");
        Assert.Equal(("cron", Utc(2026, 3, 2, 11, 0)), (await harness.RunsAsync()).Select(r => (r.Reason, r.ScheduledFor)).Last());
    }

    [Fact]
    public async Task Triggering_an_unknown_schedule_names_the_ones_there_are()
    {
        await using var harness = new SchedulerHarness(Morning, """
            schedules:
              - {name: nightly, cron: "0 11 * * *", command: build}
              - {name: hourly, cron: "@hourly", command: sync}
            """);
        var scheduler = harness.Start();

        var error = Assert.Throws<ArgumentException>(() => { _ = scheduler.TriggerAsync("weekly"); });
        Assert.Equal("There is no schedule 'weekly'; the project's schedules are nightly, hourly.", error.Message);
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}

/// <summary>A scheduler hold the test loses by hand, as a lease in Redis is lost to another process.</summary>
internal sealed class HandLease : ISchedulerLease
{
    private readonly CancellationTokenSource _gone = new();
    private readonly TaskCompletionSource _regained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _held = true;

    public bool Held => _held;

    public int Taken => 1;

    public CancellationToken Gone => _gone.Token;

    public void Lose()
    {
        _held = false;
        _gone.Cancel();
    }

    public Task WhenHeldAsync(CancellationToken cancellationToken) => _held ? Task.CompletedTask : _regained.Task.WaitAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        _gone.Dispose();
        return ValueTask.CompletedTask;
    }
}
