namespace Sluice.Operate.Schedules;

/// <summary>How a run of a schedule ended, as <c>sluice trigger</c> and the API report it.</summary>
/// <param name="RunId">Its id in <c>_sluice.schedule_runs</c>.</param>
/// <param name="Schedule">The schedule.</param>
/// <param name="Status">SUCCESS, FAILED, TIMED_OUT or CANCELLED.</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="ExitCode">The last command's exit code; null when it was cancelled before finishing.</param>
/// <param name="Error">What went wrong: the failing command and the end of its error output.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="CompletedAt">When it ended.</param>
public sealed record ScheduleRun(string RunId, string Schedule, string Status, int Attempts, int? ExitCode, string? Error, DateTimeOffset StartedAt, DateTimeOffset CompletedAt)
{
    /// <summary>Whether it succeeded.</summary>
    public bool Succeeded => Status == RunStatus.Success;
}

/// <summary>The statuses a schedule's run ends with.</summary>
public static class RunStatus
{
    /// <summary>Every command exited with 0.</summary>
    public const string Success = "SUCCESS";

    /// <summary>A command failed on the last attempt.</summary>
    public const string Failed = "FAILED";

    /// <summary>The last attempt took longer than the schedule's timeout.</summary>
    public const string TimedOut = "TIMED_OUT";

    /// <summary>The scheduler stopped and the run did not finish within the grace period.</summary>
    public const string Cancelled = "CANCELLED";
}
