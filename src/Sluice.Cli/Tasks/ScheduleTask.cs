using System.CommandLine;
using Sluice.Core.Metrics;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Operate.Alerts;
using Sluice.Operate.Events;
using Sluice.Operate.Notify;
using Sluice.Operate.Retention;
using Sluice.Operate.Schedules;
using Sluice.Server.Access;
using Sluice.Server.Catalog;
using Sluice.Server.Schedules;
using Sluice.Server.Queries;
using Sluice.Warehouses;
using Sluice.Warehouses.DuckDb;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice schedule</c>: runs the project's schedules in the foreground, without the API, until
/// Ctrl+C or SIGTERM, logging JSON lines. One scheduler runs per project: it holds the project
/// (the DuckDB file, an advisory lock on a PostgreSQL warehouse, or on ClickHouse a lease in the
/// Redis of serve.cache) and a second one stops with a message naming the first, or on a server
/// or Redis stands by to take over. alerts.yml's rules are evaluated beside the schedules, on their own
/// intervals and after each run.
/// </summary>
internal sealed class ScheduleTask(CliContext context, ParseResult parseResult)
{
    private static readonly Option<string> GraceOption = new("--grace")
    {
        Description = "How long a running job may go on after Ctrl+C or SIGTERM before it is cancelled and rolled back.",
        HelpName = "duration",
        DefaultValueFactory = _ => "25s",
    };

    private static readonly Option<string> StandbyPollOption = new("--standby-poll")
    {
        Description = "On a PostgreSQL warehouse whose schedules another scheduler runs, how often to check whether it has gone, to take over.",
        HelpName = "duration",
        DefaultValueFactory = _ => "10s",
    };

    private static readonly Option<string> LeaseOption = CreateLeaseOption();

    /// <summary>The option that sets how long the scheduler's lease in Redis lasts (ClickHouse warehouses).</summary>
    public static Option<string> CreateLeaseOption() => new("--scheduler-lease")
    {
        Description = "On a ClickHouse warehouse, whose scheduler is decided by a lease in the Redis of serve.cache: how long the lease lasts unless renewed (every third of it). A standby takes over within this after the holder dies.",
        HelpName = "duration",
        DefaultValueFactory = _ => "30s",
    };

    /// <summary>The lease's duration, or null when <paramref name="text"/> is not one of 1 s or more.</summary>
    public static TimeSpan? ParseLease(string text) =>
        Durations.TryParse(text) is { } lease && lease >= TimeSpan.FromSeconds(1) ? lease : null;

    /// <summary>How long the process may take to stop after a signal: the grace period for a running job, and time to record it.</summary>
    public static TimeSpan StopBound(ParseResult parseResult) =>
        (Durations.TryParse(parseResult.GetValue(GraceOption) ?? string.Empty) ?? TimeSpan.Zero) + TimeSpan.FromSeconds(15);

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("schedule", "Run the project's schedules (schedules: in sluice.yml) in the foreground, without the API, until Ctrl+C or SIGTERM; logs JSON lines. On a PostgreSQL warehouse a second one waits to take over.")
        {
            GraceOption, StandbyPollOption, LeaseOption,
        };
        VerbRunner.SetAction(command, globals, "the scheduler failed", (parseResult, context, cancellationToken) =>
            new ScheduleTask(context, parseResult).RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var graceText = parseResult.GetValue(GraceOption)!;
        if (Durations.TryParse(graceText) is not { } grace)
        {
            ErrorReporter.WriteError(context, $"--grace '{graceText}' is not a duration; give one such as 25s or 2m.");
            return ExitCodes.Usage;
        }

        var pollText = parseResult.GetValue(StandbyPollOption)!;
        if (Durations.TryParse(pollText) is not { } standbyPoll || standbyPoll <= TimeSpan.Zero)
        {
            ErrorReporter.WriteError(context, $"--standby-poll '{pollText}' is not a duration; give one such as 10s.");
            return ExitCodes.Usage;
        }

        var leaseText = parseResult.GetValue(LeaseOption)!;
        if (ParseLease(leaseText) is not { } lease)
        {
            ErrorReporter.WriteError(context, $"--scheduler-lease '{leaseText}' is not a duration of 1s or more; give one such as 30s.");
            return ExitCodes.Usage;
        }

        var project = ProjectLoader.Load(context.ProjectDirectory);
        var schedules = ScheduleReader.Read(project);
        ScheduleCheck.Check(project, schedules);
        var channels = ChannelReader.Read(project);

        // The scheduled syncs send the events; a mistake in events: is told now, not at the first sync.
        EventReader.Read(project, channels);
        var parsed = File.Exists(Path.Combine(project.Directory, AlertsReader.FileName)) ? ProjectParser.Parse(project) : null;
        var rules = parsed is null ? [] : ProjectAlerts.Read(parsed, schedules, channels);
        if (schedules.Count + rules.Count == 0)
        {
            ErrorReporter.WriteError(context, $"{project.ConfigPath} has no schedules and the project no {AlertsReader.FileName}; add schedules under schedules: (see docs/operate.md), such as `- {{name: nightly, cron: \"15 3 * * *\", command: build}}`.");
            return ExitCodes.Usage;
        }
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        var holder = $"sluice schedule on {Environment.MachineName} (pid {Environment.ProcessId})";
        var log = new ScheduleLog(context.Error, TimeProvider.System);
        // serve.cache is read only where it is needed: not for a warehouse that holds the scheduler itself.
        var redis = WarehouseHolds.CanHold(warehouse) ? null : ServeConfigReader.Read(project).Cache.Redis;
        var holds = SchedulerHolds.For(warehouse, redis, project.Name, lease, TimeProvider.System, log.Write);
        await using var kept = holds as IAsyncDisposable;
        var (hold, other) = await SchedulerHold.TakeAsync(holds, project.Name, holder, SchedulerHolds.StandbyPoll(holds, standbyPoll), log.Write, TimeProvider.System, cancellationToken);
        await using var held = hold;
        if (hold is null)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Success;
            }

            ErrorReporter.WriteError(context, $"the schedules of {project.Name} already run in {other ?? "another process"}; one scheduler runs per project, so stop that one first.");
            return ExitCodes.Failure;
        }

        using var announcement = ServingHolder.DatabaseOf(project.Warehouse, project.Directory) is { } database
            ? ServingHolder.Announce(database, null, "schedule")
            : null;

        using var notifier = new Notifier(project.Name, warehouse.OpenSessionAsync, TimeProvider.System, d => log.Write("delivery", new Dictionary<string, object?>
        {
            ["outcome"] = d.Kind.ToString().ToLowerInvariant(),
            ["channel"] = d.Channel,
            ["notification"] = d.NotificationKind,
            ["key"] = d.DedupKey,
            ["attempt"] = d.Attempt,
            ["error"] = d.Error,
        }));
        var notices = new FailureNotices(project.Name, schedules, channels, notifier);
        var metrics = parsed is not null && rules.Any(r => r.Condition is MetricCondition)
            ? MetricAlerts.Probe(await CatalogBinder.BindAsync(parsed, MetricsReader.Read(parsed), warehouse, cancellationToken))
            : null;
        var alerts = ProjectAlerts.Watch(project.Name, rules, channels, warehouse.OpenSessionAsync, metrics, notifier, TimeProvider.System, (rule, e) =>
            log.Write("alert_evaluation_failed", new Dictionary<string, object?> { ["rule"] = rule, ["error"] = e.Message }));

        // Scheduled commands and the daily prune take turns on the warehouse, as a server's jobs do.
        using var turn = new SemaphoreSlim(1, 1);
        async Task<int> RunAsync(string command, IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken token)
        {
            await turn.WaitAsync(token);
            try
            {
                return await SluiceCli.RunAsync(
                    [command, .. arguments, "--project-dir", project.Directory],
                    log.Lines(command, "stdout", output),
                    log.Lines(command, "stderr", error),
                    token);
            }
            finally
            {
                turn.Release();
            }
        }

        var prune = new DailyPrune(token => RunAsync("prune", [], TextWriter.Null, TextWriter.Null, token), TimeProvider.System, (exitCode, e) =>
            log.Write("pruned", new Dictionary<string, object?> { ["exit_code"] = exitCode, ["error"] = e?.Message }));
        var scheduler = new Scheduler(schedules, warehouse.OpenSessionAsync, RunAsync,
            TimeProvider.System,
            e =>
            {
                log.Event(e);
                notices.Observe(e);
                alerts.Observe(e, schedules);
            },
            grace,
            hold);

        // The alerts and the prune go on for as long as the scheduler does.
        using var companions = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = scheduler.RunAsync(cancellationToken);
        var watching = Task.WhenAll(alerts.RunAsync(companions.Token), prune.RunAsync(companions.Token));
        await Task.WhenAny(scheduler.Ready, running);
        if (!scheduler.Ready.IsCompletedSuccessfully)
        {
            // It could not read its state (the warehouse is unreachable), or it was stopped at once.
            await StopAsync(running, companions, watching);
            return ExitCodes.Success;
        }

        log.Write("scheduler_started", new Dictionary<string, object?>
        {
            ["project"] = project.Name,
            ["warehouse"] = warehouse.DisplayLocation,
            ["schedules"] = schedules.Select(s => new Dictionary<string, object?>
            {
                ["name"] = s.Name,
                ["cron"] = s.Cron,
                ["timezone"] = s.Zone.Id,
                ["enabled"] = s.Enabled,
                ["next_due"] = scheduler.NextDue(s),
            }).ToList(),
            ["alerts"] = rules.Select(r => new Dictionary<string, object?>
            {
                ["name"] = r.Name,
                ["condition"] = r.Condition.Kind,
                ["every_seconds"] = r.Every.TotalSeconds,
                ["channels"] = r.Channels,
                ["enabled"] = r.Enabled,
            }).ToList(),
        });

        await StopAsync(running, companions, watching);
        await notices.DrainAsync(TimeSpan.FromSeconds(10));
        log.Write("scheduler_stopped", new Dictionary<string, object?> { ["project"] = project.Name });
        return ExitCodes.Success;
    }

    private static async Task StopAsync(Task running, CancellationTokenSource companions, Task watching)
    {
        try
        {
            await running;
        }
        finally
        {
            await companions.CancelAsync();
            await watching;
        }
    }
}
