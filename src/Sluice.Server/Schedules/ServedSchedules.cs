using Microsoft.Extensions.Logging;
using Sluice.Core.Warehouse;
using Sluice.Operate.Alerts;
using Sluice.Operate.Notify;
using Sluice.Operate.Retention;
using Sluice.Operate.Schedules;
using Sluice.Server.Cache;
using Sluice.Server.Catalog;
using Sluice.Server.Jobs;
using Sluice.Server.Queries;

namespace Sluice.Server.Schedules;

/// <summary>
/// The project's schedules run by the server: each command of a due run is one of the server's
/// jobs, so that scheduled work and work sent to <c>/api/v1/jobs</c> take turns on the warehouse.
/// The server runs them only while it has the project's scheduler hold — the warehouse's own,
/// or on ClickHouse a lease in the shared Redis (<see cref="RedisSchedulerHolds"/>); on a
/// PostgreSQL warehouse or a Redis whose schedules another process runs, it stands by to take
/// them over. alerts.yml's
/// rules are evaluated by whichever process runs the schedules, so that each transition is told once.
/// </summary>
internal sealed partial class ServedSchedules(
    IReadOnlyList<Schedule> schedules, IReadOnlyList<AlertRule> alerts, ServedCatalog catalog, IWarehouse warehouse, JobQueue jobs, TimeProvider clock, TimeSpan standbyPoll,
    IReadOnlyList<NotificationChannel> channels, ILogger<ServedSchedules> logger, RedisLocation? redis = null, TimeSpan? leaseTimeToLive = null)
{
    private readonly string _project = catalog.Project.Project.Name;

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<Scheduler> _running = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private volatile string? _holder;

    /// <summary>The schedules.</summary>
    public IReadOnlyList<Schedule> Schedules => schedules;

    /// <summary>The rules of alerts.yml.</summary>
    public IReadOnlyList<AlertRule> Alerts => alerts;

    /// <summary>The scheduler, once this server runs the schedules; null while another process does.</summary>
    public Scheduler? Scheduler => _running.Task.IsCompletedSuccessfully ? _running.Task.Result : null;

    /// <summary>The alerts' watch, once this server runs the schedules.</summary>
    public AlertWatch? Watch { get; private set; }

    /// <summary>The daily prune of <c>_sluice</c> history, once this server runs the schedules.</summary>
    public DailyPrune? Prune { get; private set; }

    /// <summary>Who runs the schedules when this server does not.</summary>
    public string? Holder => _holder;

    /// <summary>Starts taking the hold and running the schedules, in the background.</summary>
    public void Start(Uri address)
    {
        var self = $"sluice serve on {Environment.MachineName} (pid {Environment.ProcessId}, {address.ToString().TrimEnd('/')})";
        _loop = Task.Run(() => RunAsync(self, _stopping.Token));
    }

    /// <summary>
    /// Stops: no further run starts, and a running one ends CANCELLED when the server cancels its
    /// job; its tick runs again at the next start. <see cref="WhenStoppedAsync"/> waits for that.
    /// </summary>
    public Task StopAsync() => _stopping.CancelAsync();

    /// <summary>Waits up to <paramref name="timeout"/> for the running run to be recorded after <see cref="StopAsync"/>.</summary>
    public async Task WhenStoppedAsync(TimeSpan timeout)
    {
        try
        {
            await _loop.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            LogStopOutlasted(logger, timeout.TotalSeconds);
        }
    }

    private async Task RunAsync(string self, CancellationToken stopping)
    {
        try
        {
            var holds = SchedulerHolds.For(warehouse, redis, _project, leaseTimeToLive ?? RedisSchedulerHolds.DefaultTimeToLive, clock, Log);
            await using var kept = holds as IAsyncDisposable;
            var (hold, other) = await SchedulerHold.TakeAsync(holds, _project, self, SchedulerHolds.StandbyPoll(holds, standbyPoll), Log, clock, stopping);
            await using var held = hold;
            if (hold is null)
            {
                if (!stopping.IsCancellationRequested)
                {
                    _holder = other ?? "another process";
                    LogRunElsewhere(logger, _holder);
                }

                return;
            }

            _holder = null;
            using var notifier = new Notifier(_project, warehouse.OpenSessionAsync, clock, Delivered);
            var notices = new FailureNotices(_project, schedules, channels, notifier);
            var watch = ProjectAlerts.Watch(_project, alerts, channels, warehouse.OpenSessionAsync, MetricAlerts.Probe(catalog), notifier, clock, AlertFailed);
            var scheduler = new Scheduler(schedules, warehouse.OpenSessionAsync, RunAsJobAsync, clock, e =>
            {
                Report(e);
                notices.Observe(e);
                watch.Observe(e, schedules);
            }, TimeSpan.Zero, hold);
            var prune = new DailyPrune(token => RunAsJobAsync("prune", [], TextWriter.Null, TextWriter.Null, token), clock, Pruned);
            _running.TrySetResult(scheduler);
            Watch = watch;
            Prune = prune;
            using var companions = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var watching = Task.WhenAll(watch.RunAsync(companions.Token), prune.RunAsync(companions.Token));
            try
            {
                await scheduler.RunAsync(stopping);
            }
            finally
            {
                // The alerts and the prune go on for as long as the scheduler does.
                await companions.CancelAsync();
                await watching;
            }

            await notices.DrainAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped while taking the hold.
        }
        catch (Exception e)
        {
            // The API goes on serving; the schedules' failure is logged for whoever watches.
            LogSchedulerFailed(logger, e);
        }
    }

    private async Task<int> RunAsJobAsync(string command, IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (_, finished) = jobs.Enqueue(command, arguments, cancellationToken);
        var job = await finished;
        await output.WriteAsync(job.Output);
        await error.WriteAsync(job.Log);
        return job.ExitCode ?? (job.State == JobState.Cancelled ? 130 : 1);
    }

    private void Log(string name, IReadOnlyDictionary<string, object?> fields)
    {
        if (name == "standby")
        {
            _holder = fields.GetValueOrDefault("holder") as string ?? "another process";
            LogStandingBy(logger, _holder);
        }
        else if (name == "lease_lost")
        {
            LogLeaseLost(logger, fields.GetValueOrDefault("reason") as string);
        }
        else if (name == "lease_regained")
        {
            LogLeaseRegained(logger);
        }
        else
        {
            LogTookOver(logger, fields.GetValueOrDefault("from") as string ?? "another process");
        }
    }

    private void Delivered(DeliveryEvent d)
    {
        if (d.Kind is DeliveryEventKind.Failed or DeliveryEventKind.NotRecorded)
        {
            LogDeliveryFailed(logger, d.NotificationKind, d.Channel, d.Attempt, d.Error);
        }
        else if (d.Kind == DeliveryEventKind.Delivered)
        {
            LogDelivered(logger, d.NotificationKind, d.Channel, d.Attempt);
        }
    }

    private void Pruned(int? exitCode, Exception? e)
    {
        if (exitCode != 0)
        {
            LogPruneFailed(logger, exitCode, e?.Message);
        }
    }

    private void AlertFailed(string? rule, Exception e)
    {
        if (rule is null)
        {
            LogAlertsFailed(logger, e);
        }
        else
        {
            LogRuleFailed(logger, rule, e.Message);
        }
    }

    private void Report(ScheduleEvent e)
    {
        var level = e.Kind switch
        {
            ScheduleEventKind.Failed or ScheduleEventKind.TimedOut or ScheduleEventKind.Interrupted => LogLevel.Warning,
            _ => LogLevel.Information,
        };
        LogScheduleEvent(logger, level, e.Kind.ToString(), e.Schedule, e.RunId, e.Reason, e.Tick, e.Attempt, e.ExitCode, e.Message);
    }

    [LoggerMessage(EventId = 20, Message = "Schedule {Schedule}: {Event} (run {RunId}, {Reason}, tick {Tick}, attempt {Attempt}, exit code {ExitCode}) {Detail}")]
    private static partial void LogScheduleEvent(ILogger logger, LogLevel level, string @event, string schedule, string runId, string reason, DateTimeOffset? tick, int attempt, int? exitCode, string? detail);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "The project's schedules run in {Holder}; this server stands by to take them over")]
    private static partial void LogStandingBy(ILogger logger, string holder);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "This server took over the project's schedules from {Holder}")]
    private static partial void LogTookOver(ILogger logger, string holder);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "The project's schedules run in {Holder}, which holds the warehouse; this server does not run them")]
    private static partial void LogRunElsewhere(ILogger logger, string holder);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "This server lost the scheduler's lease ({Reason}); it starts no scheduled run until it has the lease again")]
    private static partial void LogLeaseLost(ILogger logger, string? reason);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "This server has the scheduler's lease again; scheduled runs resume")]
    private static partial void LogLeaseRegained(ILogger logger);

    [LoggerMessage(EventId = 26, Level = LogLevel.Information, Message = "Notification {Notification} delivered to channel {Channel} (attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, string notification, string channel, int attempt);

    [LoggerMessage(EventId = 27, Level = LogLevel.Warning, Message = "Notification {Notification} to channel {Channel} failed after {Attempt} attempt(s): {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, string notification, string channel, int attempt, string? error);

    [LoggerMessage(EventId = 28, Level = LogLevel.Warning, Message = "Alert rule {Rule} could not be evaluated: {Error}")]
    private static partial void LogRuleFailed(ILogger logger, string rule, string error);

    [LoggerMessage(EventId = 29, Level = LogLevel.Error, Message = "The alerts could not be evaluated")]
    private static partial void LogAlertsFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "The daily prune of _sluice history failed (exit code {ExitCode}) {Error}; its job's log says why")]
    private static partial void LogPruneFailed(ILogger logger, int? exitCode, string? error);

    [LoggerMessage(EventId = 24, Level = LogLevel.Error, Message = "The schedules stopped running")]
    private static partial void LogSchedulerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "The scheduler had not stopped {Seconds} s after the server began to stop")]
    private static partial void LogStopOutlasted(ILogger logger, double seconds);
}
