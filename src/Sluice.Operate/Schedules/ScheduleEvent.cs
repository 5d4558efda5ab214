namespace Sluice.Operate.Schedules;

/// <summary>What happened to a schedule's run.</summary>
public enum ScheduleEventKind
{
    /// <summary>A run starts (its first attempt).</summary>
    Started,

    /// <summary>An attempt failed and another follows after a wait.</summary>
    Retrying,

    /// <summary>The run succeeded.</summary>
    Succeeded,

    /// <summary>The run failed after its last attempt.</summary>
    Failed,

    /// <summary>The run's last attempt passed the schedule's timeout and was cancelled.</summary>
    TimedOut,

    /// <summary>The scheduler stopped while the run was going; it was cancelled after the grace period.</summary>
    Cancelled,

    /// <summary>A run left RUNNING by a process that died was found and marked.</summary>
    Interrupted,
}

/// <summary>One thing that happened to a schedule, as logs and notifications report it.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Schedule">The schedule's name.</param>
/// <param name="RunId">The run's id in <c>_sluice.schedule_runs</c>.</param>
/// <param name="Reason">Why the run happened: <c>cron</c>, <c>catch_up</c> or <c>manual</c>.</param>
/// <param name="Tick">The cron time being run; null for a manual run.</param>
/// <param name="Attempt">The attempt, from 1.</param>
/// <param name="At">When it happened.</param>
/// <param name="ExitCode">The failing or last command's exit code, once an attempt has finished.</param>
/// <param name="Message">What went wrong, or a note (ticks folded by a catch-up).</param>
public sealed record ScheduleEvent(
    ScheduleEventKind Kind, string Schedule, string RunId, string Reason, DateTimeOffset? Tick, int Attempt, DateTimeOffset At, int? ExitCode, string? Message);
