using System.Globalization;
using Sluice.Operate.Alerts;
using Sluice.Operate.Schedules;

namespace Sluice.Operate.Notify;

/// <summary>The notifications Sluice itself sends: a channel's test, a scheduled job's failure, an alert's firing and resolving.</summary>
public static class Notifications
{
    /// <summary>What <c>sluice channels test</c> sends: each test is its own, so its dedup key is new every time.</summary>
    public static Notification Test(string project, NotificationChannel channel, DateTimeOffset at) =>
        new(
            NotificationKinds.Test,
            $"Test notification from {project}",
            NotificationSeverity.Info,
            $"Channel {channel.Name} of project {project} delivers. Alerts and failed scheduled jobs will be sent here.",
            at,
            $"test:{channel.Name}:{Guid.CreateVersion7():N}")
        {
            Fields =
            [
                new("project", project),
                new("channel", channel.Name),
                new("type", channel.Type),
                new("sent_from", Environment.MachineName),
            ],
        };

    /// <summary>
    /// The notification for a schedule's run that failed or timed out after its last attempt
    /// (a <see cref="ScheduleEventKind.Failed"/> or <see cref="ScheduleEventKind.TimedOut"/>
    /// event). Its dedup key is the run's: a run is told of once, however often it is sent.
    /// </summary>
    /// <exception cref="ArgumentException">The event is not a failure.</exception>
    public static Notification JobFailed(string project, ScheduleEvent failure)
    {
        if (failure.Kind is not (ScheduleEventKind.Failed or ScheduleEventKind.TimedOut))
        {
            throw new ArgumentException($"Only a failed or timed-out run is a job_failed notification, not a {failure.Kind} event.", nameof(failure));
        }

        var fields = new List<NotificationField>
        {
            new("project", project),
            new("schedule", failure.Schedule),
            new("run", failure.RunId),
            new("reason", failure.Reason),
            new("attempts", failure.Attempt.ToString(CultureInfo.InvariantCulture)),
        };
        if (failure.Tick is { } tick)
        {
            fields.Add(new("scheduled_for", NotificationBody.Timestamp(tick)));
        }

        if (failure.ExitCode is { } exitCode)
        {
            fields.Add(new("exit_code", exitCode.ToString(CultureInfo.InvariantCulture)));
        }

        var timedOut = failure.Kind == ScheduleEventKind.TimedOut;
        return new Notification(
            NotificationKinds.JobFailed,
            timedOut ? $"Schedule {failure.Schedule} timed out" : $"Schedule {failure.Schedule} failed",
            NotificationSeverity.Error,
            failure.Message ?? (timedOut ? "The run took longer than the schedule's timeout." : "The run failed."),
            failure.At,
            $"job_failed:{failure.Schedule}:{failure.RunId}")
        {
            Fields = fields,
        };
    }

    /// <summary>
    /// The notification for an alert's transition that is told: firing, a reminder while firing,
    /// or resolved. A firing and its reminders share a dedup key (one occurrence, told again);
    /// its resolving has a key of its own.
    /// </summary>
    /// <exception cref="ArgumentException">The transition is not one that is told.</exception>
    public static Notification Alert(string project, AlertRule rule, AlertTransition transition)
    {
        var alert = transition.Alert;
        var occurrence = $"{rule.Name}:{alert.Subject}:{NotificationBody.Timestamp(alert.Since)}";
        var fields = new List<NotificationField>
        {
            new("project", project),
            new("rule", rule.Name),
            new("condition", rule.Condition.Kind),
            new("subject", alert.Subject),
            new("firing_since", NotificationBody.Timestamp(alert.Since)),
        };
        if (alert.Value is { } value)
        {
            fields.Add(new("value", value.ToString("G6", CultureInfo.InvariantCulture)));
        }

        var text = rule.Description is { Length: > 0 } description ? $"{alert.Summary}\n{description}" : alert.Summary;
        return transition.Kind switch
        {
            AlertEventKind.Firing or AlertEventKind.Renotified => new Notification(
                NotificationKinds.AlertFiring,
                transition.Kind == AlertEventKind.Renotified ? $"Still firing: {rule.Name} ({alert.Subject})" : $"Alert {rule.Name} firing ({alert.Subject})",
                rule.Severity switch
                {
                    AlertSeverity.Critical => NotificationSeverity.Critical,
                    AlertSeverity.Warning => NotificationSeverity.Warning,
                    _ => NotificationSeverity.Info,
                },
                text,
                transition.At,
                $"alert_firing:{occurrence}")
            {
                Fields = fields,
            },
            AlertEventKind.Resolved => new Notification(
                NotificationKinds.AlertResolved,
                $"Resolved: {rule.Name} ({alert.Subject})",
                NotificationSeverity.Info,
                $"No longer holds: {alert.Summary}",
                transition.At,
                $"alert_resolved:{occurrence}")
            {
                Fields = [.. fields, new("resolved_at", NotificationBody.Timestamp(transition.At))],
            },
            _ => throw new ArgumentException($"A {transition.Kind} transition is not told; only firing, renotified and resolved ones are.", nameof(transition)),
        };
    }
}
