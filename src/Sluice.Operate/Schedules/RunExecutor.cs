using Sluice.Core.Warehouse;

namespace Sluice.Operate.Schedules;

/// <summary>
/// Runs one run of a schedule: its commands in order, each attempt bounded by the schedule's
/// timeout, failed attempts retried after a doubling wait, and the outcome recorded in
/// <c>_sluice.schedule_runs</c>. When the scheduler stops, a going run gets the grace period to
/// finish and is cancelled after it; its row then says CANCELLED. A run whose scheduler loses its
/// hold (a lease in Redis another process may take) is cancelled at once, CANCELLED too, and its
/// tick stays unrun for the next holder.
/// </summary>
internal sealed class RunExecutor(
    Func<CancellationToken, Task<IWarehouseSession>> openSession, StepRunner runner, TimeProvider clock, Action<ScheduleEvent> report, TimeSpan grace, Action<DateTimeOffset?> waiting)
{
    // What a failed run's message keeps of the failing command's error output.
    private const int ErrorTail = 2000;

    public async Task<ScheduleRun> RunAsync(Schedule schedule, string reason, DueTick? due, CancellationToken stopping, CancellationToken holdGone)
    {
        var tick = due?.Tick;
        var startedAt = clock.GetUtcNow();
        string id;
        await using (var session = await openSession(CancellationToken.None))
        {
            id = await ScheduleStore.StartAsync(session, schedule.Name, reason, tick, startedAt, CancellationToken.None);
        }

        var folded = due is { Missed: > 1 } ? $"{due.Missed - 1} earlier tick(s) missed while the scheduler was not running are caught up by this run" : null;
        report(new ScheduleEvent(ScheduleEventKind.Started, schedule.Name, id, reason, tick, 1, startedAt, null, folded));

        // Stopping the scheduler does not cut a run short at once: it gets the grace period.
        using var cancelRun = new CancellationTokenSource();
        ITimer? graceTimer = null;
        using var onStop = stopping.Register(() => graceTimer = clock.CreateTimer(_ => Cancel(cancelRun), null, grace, Timeout.InfiniteTimeSpan));

        // Losing the hold does: another process may be starting the same run.
        using var onGone = holdGone.Register(() => Cancel(cancelRun));
        try
        {
            return await RunAttemptsAsync(schedule, reason, due, id, startedAt, cancelRun, stopping, holdGone);
        }
        finally
        {
            onGone.Dispose();
            onStop.Dispose();
            graceTimer?.Dispose();
        }
    }

    private async Task<ScheduleRun> RunAttemptsAsync(Schedule schedule, string reason, DueTick? due, string id, DateTimeOffset startedAt, CancellationTokenSource cancelRun, CancellationToken stopping, CancellationToken holdGone)
    {
        var tick = due?.Tick;

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(tick ?? startedAt, schedule.Zone).DateTime);
        var attempt = 0;
        string status;
        int? exitCode;
        string? error;
        while (true)
        {
            attempt++;
            if (attempt > 1)
            {
                await using var session = await openSession(CancellationToken.None);
                await ScheduleStore.RecordAttemptAsync(session, id, attempt, CancellationToken.None);
            }

            (status, exitCode, error) = await AttemptAsync(schedule, today, cancelRun.Token, stopping, holdGone);
            if (status is RunStatus.Success or RunStatus.Cancelled || attempt > schedule.Retries)
            {
                break;
            }

            var wait = schedule.DelayBeforeRetry(attempt);
            try
            {
                // A stop during the wait ends the run: nothing is going that needs the grace period.
                // The wait starts before it is reported, so that whoever moves the clock on the
                // report moves this wait too.
                var now = clock.GetUtcNow();
                using var waitEnds = CancellationTokenSource.CreateLinkedTokenSource(stopping, holdGone);
                var delay = Task.Delay(wait, clock, waitEnds.Token);
                waiting(now + wait);
                report(new ScheduleEvent(ScheduleEventKind.Retrying, schedule.Name, id, reason, tick, attempt, now, exitCode, $"{error} (attempt {attempt + 1} of {schedule.Retries + 1} in {wait})"));
                await delay;
            }
            catch (OperationCanceledException)
            {
                status = RunStatus.Cancelled;
                error = holdGone.IsCancellationRequested
                    ? "this process lost the scheduler's hold before the next attempt; the tick is left to the process that holds it"
                    : "the scheduler stopped before the next attempt";
                break;
            }
            finally
            {
                waiting(null);
            }
        }

        var completedAt = clock.GetUtcNow();
        var nextDue = tick is { } t ? schedule.NextAfter(t > completedAt ? t : completedAt) : null;
        await using (var session = await openSession(CancellationToken.None))
        {
            // A run cut short by a stop has not done its tick's work: the tick is left unrecorded
            // and runs again when the scheduler is back.
            var done = status == RunStatus.Cancelled ? null : tick;
            await ScheduleStore.FinishAsync(session, id, schedule.Name, done, status, exitCode, error, startedAt, completedAt, nextDue, CancellationToken.None);
        }

        var kind = status switch
        {
            RunStatus.Success => ScheduleEventKind.Succeeded,
            RunStatus.TimedOut => ScheduleEventKind.TimedOut,
            RunStatus.Cancelled => ScheduleEventKind.Cancelled,
            _ => ScheduleEventKind.Failed,
        };
        report(new ScheduleEvent(kind, schedule.Name, id, reason, tick, attempt, completedAt, exitCode, error));
        return new ScheduleRun(id, schedule.Name, status, attempt, exitCode, error, startedAt, completedAt);
    }

    private async Task<(string Status, int? ExitCode, string? Error)> AttemptAsync(Schedule schedule, DateOnly today, CancellationToken cancelRun, CancellationToken stopping, CancellationToken holdGone)
    {
        using var timeout = schedule.Timeout is { } limit ? new CancellationTokenSource(limit, clock) : new CancellationTokenSource();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancelRun, timeout.Token);
        foreach (var step in schedule.Steps)
        {
            var output = new CappedWriter();
            var errors = new CappedWriter();
            int exit;
            try
            {
                exit = await runner(step.Command, step.ArgumentsOn(today), output, errors, either.Token);
            }
            catch (OperationCanceledException) when (either.IsCancellationRequested)
            {
                exit = -1;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return (RunStatus.Failed, null, $"`{step.Text}` could not run: {e.Message}");
            }

            // A stop cuts the run short however it ends: the grace period here, or a host that
            // cancels its jobs at once (the server does) before the grace period is over.
            if (holdGone.IsCancellationRequested)
            {
                return (RunStatus.Cancelled, exit >= 0 ? exit : null, $"`{step.Text}` was cancelled: this process lost the scheduler's hold, which another process may have taken; the tick is left to the process that holds it");
            }

            if (cancelRun.IsCancellationRequested || (exit != 0 && stopping.IsCancellationRequested))
            {
                return (RunStatus.Cancelled, exit >= 0 ? exit : null, $"`{step.Text}` was cancelled: the scheduler stopped before it finished");
            }

            if (timeout.IsCancellationRequested)
            {
                return (RunStatus.TimedOut, exit >= 0 ? exit : null, $"`{step.Text}` was cancelled: the run took longer than the schedule's timeout of {schedule.Timeout}");
            }

            if (exit != 0)
            {
                var tail = errors.Tail(ErrorTail);
                return (RunStatus.Failed, exit, $"`{step.Text}` exited with code {exit}" + (tail.Length > 0 ? $": {tail}" : string.Empty));
            }
        }

        return (RunStatus.Success, 0, null);
    }

    private static void Cancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended before its grace period did.
        }
    }

    // Keeps the end of what a command writes, enough to say why it failed.
    private sealed class CappedWriter : StringWriter
    {
        private const int Limit = 64 * 1024;

        public override void Write(char value)
        {
            base.Write(value);
            Trim();
        }

        public override void Write(string? value)
        {
            base.Write(value);
            Trim();
        }

        public override void Write(char[] buffer, int index, int count)
        {
            base.Write(buffer, index, count);
            Trim();
        }

        public string Tail(int length)
        {
            var text = GetStringBuilder().ToString().Trim();
            return text.Length <= length ? text : "…" + text[^length..];
        }

        private void Trim()
        {
            var builder = GetStringBuilder();
            if (builder.Length > 2 * Limit)
            {
                builder.Remove(0, builder.Length - Limit);
            }
        }
    }
}
