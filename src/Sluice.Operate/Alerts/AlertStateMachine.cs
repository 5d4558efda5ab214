namespace Sluice.Operate.Alerts;

/// <summary>Where an alert is: one rule about one subject (a check, a table, a job, a schedule, a metric).</summary>
public enum AlertState
{
    /// <summary>The condition does not hold.</summary>
    Inactive,

    /// <summary>The condition holds, for fewer evaluations in a row than the rule's <c>for</c>.</summary>
    Pending,

    /// <summary>The condition has held long enough: the alert was told.</summary>
    Firing,
}

/// <summary>What an evaluation found about one subject of a rule whose condition holds.</summary>
/// <param name="Subject">What it is about: the check's name, source.table, the job, the schedule, the metric.</param>
/// <param name="Value">The measured value (a ratio, seconds, a metric's value), when there is one.</param>
/// <param name="Summary">One line saying what is wrong, for people.</param>
public sealed record AlertObservation(string Subject, double? Value, string Summary);

/// <summary>An alert as it stands between evaluations.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Subject">What it is about.</param>
/// <param name="State">Pending or firing (an inactive alert is not kept).</param>
/// <param name="Consecutive">Evaluations in a row its condition has held.</param>
/// <param name="Since">When it entered its state.</param>
/// <param name="LastNotifiedAt">When it was last told, while firing.</param>
/// <param name="Value">The latest measured value.</param>
/// <param name="Summary">The latest summary.</param>
public sealed record AlertStatus(
    string Rule, string Subject, AlertState State, int Consecutive, DateTimeOffset Since, DateTimeOffset? LastNotifiedAt, double? Value, string Summary);

/// <summary>What happened to an alert at an evaluation, as <c>_sluice.alert_events</c> records it.</summary>
public enum AlertEventKind
{
    /// <summary>Its condition began to hold; not told yet.</summary>
    Pending,

    /// <summary>It fires: told.</summary>
    Firing,

    /// <summary>Still firing after the rule's renotify interval: told again.</summary>
    Renotified,

    /// <summary>It fired and its condition no longer holds: told.</summary>
    Resolved,

    /// <summary>Its condition stopped holding before it fired: nobody was told.</summary>
    Cleared,
}

/// <summary>A transition of an alert, with whether to tell anyone about it.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Alert">The alert after it (for a resolved or cleared one, as it last stood).</param>
/// <param name="At">When.</param>
/// <param name="Notify">Whether the rule's channels are told: firing, renotified and resolved, unless silenced.</param>
/// <param name="Silenced">Whether a silence kept it from being told.</param>
public sealed record AlertTransition(AlertEventKind Kind, AlertStatus Alert, DateTimeOffset At, bool Notify, bool Silenced);

/// <summary>
/// The alerts' state machine as a pure function: from how an alert stood and what an evaluation
/// found, where it stands now and what happened. Inactive → pending when the condition first
/// holds; pending → firing once it has held for the rule's <c>for</c> evaluations in a row
/// (at once for <c>for: 1</c>); firing → told again each <c>renotify</c>; firing → resolved and
/// pending → cleared when it stops holding. A silence changes nothing but who is told.
/// </summary>
public static class AlertStateMachine
{
    /// <summary>One evaluation of one subject.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="current">How the alert stood; null when inactive.</param>
    /// <param name="observed">What the evaluation found when the condition holds for the subject; null when it does not.</param>
    /// <param name="now">The evaluation's time.</param>
    /// <param name="silenced">Whether a silence covers the rule now.</param>
    /// <returns>The alert afterwards (null when inactive) and the transition, if any.</returns>
    public static (AlertStatus? Next, AlertTransition? Transition) Step(
        AlertRule rule, AlertStatus? current, AlertObservation? observed, DateTimeOffset now, bool silenced)
    {
        if (observed is null)
        {
            return current switch
            {
                null => (null, null),
                { State: AlertState.Firing } => (null, new AlertTransition(AlertEventKind.Resolved, current, now, !silenced, silenced)),
                _ => (null, new AlertTransition(AlertEventKind.Cleared, current, now, false, false)),
            };
        }

        var consecutive = (current?.Consecutive ?? 0) + 1;
        if (current is { State: AlertState.Firing })
        {
            var kept = current with { Consecutive = consecutive, Value = observed.Value, Summary = observed.Summary };
            if (rule.Renotify is { } every && now - (current.LastNotifiedAt ?? current.Since) >= every)
            {
                // A silenced reminder is not sent, and the next one counts from now: the
                // silence's end does not bring a burst of reminders.
                var told = kept with { LastNotifiedAt = now };
                return (told, new AlertTransition(AlertEventKind.Renotified, told, now, !silenced, silenced));
            }

            return (kept, null);
        }

        if (consecutive >= rule.For)
        {
            var firing = new AlertStatus(rule.Name, observed.Subject, AlertState.Firing, consecutive, now, now, observed.Value, observed.Summary);
            return (firing, new AlertTransition(AlertEventKind.Firing, firing, now, !silenced, silenced));
        }

        if (current is null)
        {
            var pending = new AlertStatus(rule.Name, observed.Subject, AlertState.Pending, consecutive, now, null, observed.Value, observed.Summary);
            return (pending, new AlertTransition(AlertEventKind.Pending, pending, now, false, false));
        }

        return (current with { Consecutive = consecutive, Value = observed.Value, Summary = observed.Summary }, null);
    }
}
