using System.Collections.Concurrent;
using System.Threading.Channels;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Schedules;

/// <summary>
/// Runs a project's schedules: waits until the next cron time, runs what is due one run at a
/// time, and records each run and each schedule's last tick in <c>_sluice</c>. After downtime a
/// schedule that missed ticks runs once, for the latest of them; a tick recorded as run is never
/// run again. Runs asked for by hand (<see cref="TriggerAsync"/>) go before due ticks.
/// Only one scheduler may run per project: the caller holds the project first.
/// </summary>
public sealed class Scheduler
{
    // Waits are cut into pieces of at most this, so that a clock that jumps (a suspended
    // machine, a corrected clock) is noticed within it.
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(1);

    private readonly IReadOnlyList<Schedule> _schedules;
    private readonly Func<CancellationToken, Task<IWarehouseSession>> _openSession;
    private readonly TimeProvider _clock;
    private readonly Action<ScheduleEvent> _report;
    private readonly RunExecutor _executor;
    private readonly ISchedulerLease? _lease;
    private int _taken;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _countFrom = new(StringComparer.Ordinal);
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>();
    private volatile string? _running;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _startedAt;
    private volatile object? _waitingUntil; // a boxed DateTimeOffset, read and written whole

    /// <param name="schedules">The project's schedules.</param>
    /// <param name="openSession">Opens a session on the project's warehouse, for the schedules' state.</param>
    /// <param name="runner">Runs one command of a schedule.</param>
    /// <param name="clock">The time; tests move it by hand.</param>
    /// <param name="report">Told of every start, retry and outcome; it must not throw.</param>
    /// <param name="grace">How long a going run may go on once the scheduler is stopped before it is cancelled.</param>
    /// <param name="lease">
    /// The scheduler hold, when it can be lost for a while (a lease in Redis): no run starts while
    /// it is not held, a going run is cancelled once the hold may be another process's, and once
    /// it is taken again the schedules' state is read again, since another process may have run
    /// them meanwhile.
    /// </param>
    public Scheduler(
        IReadOnlyList<Schedule> schedules, Func<CancellationToken, Task<IWarehouseSession>> openSession, StepRunner runner, TimeProvider clock, Action<ScheduleEvent> report, TimeSpan grace,
        ISchedulerLease? lease = null)
    {
        _lease = lease;
        _schedules = schedules;
        _openSession = openSession;
        _clock = clock;
        _report = report;
        _executor = new RunExecutor(openSession, runner, clock, report, grace, until => WaitingUntil = until);
    }

    /// <summary>Completes once the scheduler has read its state and knows when each schedule is due (<see cref="NextDue"/>).</summary>
    public Task Ready => _ready.Task;

    /// <summary>The schedules.</summary>
    public IReadOnlyList<Schedule> Schedules => _schedules;

    /// <summary>
    /// While the scheduler waits — for the next due time (or a trigger), or before a run's next
    /// attempt — until when; null while a command runs or state is read.
    /// </summary>
    public DateTimeOffset? WaitingUntil
    {
        get => _waitingUntil as DateTimeOffset?;
        private set => _waitingUntil = value;
    }

    /// <summary>The schedule whose run is going, or null.</summary>
    public string? Running => _running;

    /// <summary>When <paramref name="schedule"/> is due next, once the scheduler has read its state; null when it never is (disabled).</summary>
    public DateTimeOffset? NextDue(Schedule schedule) =>
        _ready.Task.IsCompleted && _countFrom.TryGetValue(schedule.Name, out var from) ? schedule.NextAfter(from) : null;

    /// <summary>Asks for a run of <paramref name="name"/> now, outside its cron times; completes when the run has ended.</summary>
    /// <exception cref="ArgumentException">There is no schedule of that name.</exception>
    public Task<ScheduleRun> TriggerAsync(string name)
    {
        var schedule = Find(name);
        var request = new Request(schedule, new TaskCompletionSource<ScheduleRun>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_requests.Writer.TryWrite(request))
        {
            request.Done.SetException(new InvalidOperationException("The scheduler has stopped; start it again to trigger schedules."));
        }

        return request.Done.Task;
    }

    /// <summary>
    /// Runs <paramref name="name"/> once now, as <see cref="TriggerAsync"/> does, without the
    /// scheduler's loop: for <c>sluice trigger</c> when no scheduler is running.
    /// </summary>
    /// <exception cref="ArgumentException">There is no schedule of that name.</exception>
    public async Task<ScheduleRun> RunNowAsync(string name, CancellationToken stopping)
    {
        var schedule = Find(name);
        await using (var session = await _openSession(stopping))
        {
            await MetadataSchema.MigrateAsync(session, cancellationToken: stopping);
        }

        return await _executor.RunAsync(schedule, "manual", null, stopping, CancellationToken.None);
    }

    /// <summary>
    /// Runs until <paramref name="stopping"/> is cancelled; then a going run gets the grace
    /// period, and runs asked for but not started are cancelled.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await StartAsync(stopping);
            while (!stopping.IsCancellationRequested)
            {
                if (_lease is { } lease && (!lease.Held || lease.Taken != _taken))
                {
                    await lease.WhenHeldAsync(stopping);
                    if (lease.Taken != _taken)
                    {
                        await StartAsync(stopping);
                    }

                    continue;
                }

                if (_requests.Reader.TryRead(out var request))
                {
                    await RunAsync(request.Schedule, "manual", null, request.Done, stopping);
                    continue;
                }

                var now = _clock.GetUtcNow();
                var due = _schedules
                    .Select(s => DueTick.Find(s, _countFrom[s.Name], now))
                    .OfType<DueTick>()
                    .OrderBy(d => d.Tick)
                    .FirstOrDefault();
                if (due is not null)
                {
                    _countFrom[due.Schedule.Name] = due.Tick;
                    // A tick due before the scheduler started, or several folded into one, is caught up.
                    var reason = due.Missed > 1 || due.Tick < _startedAt ? "catch_up" : "cron";
                    await RunAsync(due.Schedule, reason, due, null, stopping);
                    continue;
                }

                await WaitAsync(now, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped while waiting.
        }
        finally
        {
            _ready.TrySetCanceled(CancellationToken.None);
            _requests.Writer.TryComplete();
            while (_requests.Reader.TryRead(out var left))
            {
                left.Done.TrySetCanceled(stopping.IsCancellationRequested ? stopping : new CancellationToken(true));
            }
        }
    }

    // Reads where each schedule stands; runs left RUNNING by a scheduler that died are marked,
    // and their ticks come due again because they were never recorded as run.
    private async Task StartAsync(CancellationToken stopping)
    {
        var now = _clock.GetUtcNow();
        _startedAt = now;
        _taken = _lease?.Taken ?? 0;
        IReadOnlyDictionary<string, ScheduleStanding> standings;
        await using (var session = await _openSession(stopping))
        {
            await MetadataSchema.MigrateAsync(session, cancellationToken: stopping);
            foreach (var (id, name) in await ScheduleStore.InterruptLeftoversAsync(session, now, stopping))
            {
                _report(new ScheduleEvent(ScheduleEventKind.Interrupted, name, id, "cron", null, 1, now, null, "the process running it stopped before it finished; its tick runs again if it is still the latest"));
            }

            standings = await ScheduleStore.LoadAsync(session, stopping);
            foreach (var schedule in _schedules)
            {
                // Ticks are counted after the last one run; a schedule never run counts from the
                // time it was first planned, so that a tick due while the scheduler was down still runs.
                var standing = standings.GetValueOrDefault(schedule.Name);
                _countFrom[schedule.Name] = standing?.LastTick
                    ?? (standing?.NextDue is { } planned && planned <= now ? planned.AddTicks(-1) : now);
                await ScheduleStore.PlanAsync(session, schedule.Name, schedule.NextAfter(_countFrom[schedule.Name]), now, stopping);
            }
        }

        _ready.TrySetResult();
    }

    private async Task RunAsync(Schedule schedule, string reason, DueTick? due, TaskCompletionSource<ScheduleRun>? done, CancellationToken stopping)
    {
        _running = schedule.Name;
        try
        {
            var run = await _executor.RunAsync(schedule, reason, due, stopping, _lease?.Gone ?? CancellationToken.None);
            done?.TrySetResult(run);
        }
        catch (Exception e)
        {
            done?.TrySetException(e);
            if (done is null)
            {
                throw;
            }
        }
        finally
        {
            _running = null;
        }
    }

    private async Task WaitAsync(DateTimeOffset now, CancellationToken stopping)
    {
        var next = _schedules.Select(s => s.NextAfter(_countFrom[s.Name])).OfType<DateTimeOffset>().DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var wait = next == DateTimeOffset.MaxValue ? LongestWait : TimeSpan.FromTicks(Math.Clamp((next - now).Ticks, 0, LongestWait.Ticks));
        using var woken = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var delay = Task.Delay(wait, _clock, woken.Token);

        // The clock may have moved between reading it and starting the wait: then the wait would
        // end late, so it is not waited on. Once it has started, any move of the clock ends it.
        if (_clock.GetUtcNow() - now < wait)
        {
            WaitingUntil = next == DateTimeOffset.MaxValue ? now + wait : next;
            var request = _requests.Reader.WaitToReadAsync(woken.Token).AsTask();
            await Task.WhenAny(delay, request);
            WaitingUntil = null;
        }

        await woken.CancelAsync();
        stopping.ThrowIfCancellationRequested();
    }

    private Schedule Find(string name) =>
        _schedules.FirstOrDefault(s => s.Name == name)
            ?? throw new ArgumentException(_schedules.Count == 0
                ? $"There is no schedule '{name}': the project has none; add them under schedules: in sluice.yml."
                : $"There is no schedule '{name}'; the project's schedules are {string.Join(", ", _schedules.Select(s => s.Name))}.");

    private sealed record Request(Schedule Schedule, TaskCompletionSource<ScheduleRun> Done);
}
