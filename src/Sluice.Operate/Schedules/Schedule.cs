using Cronos;

namespace Sluice.Operate.Schedules;

/// <summary>
/// One entry of <c>schedules:</c> in sluice.yml: when it is due (a cron expression read in a time
/// zone) and the commands it runs then, in order.
/// </summary>
/// <param name="Name">Its name, unique in the project; state and <c>sluice trigger</c> use it.</param>
/// <param name="Cron">The cron expression as written (<c>15 3 * * *</c>, <c>@hourly</c>).</param>
/// <param name="Times">The parsed expression.</param>
/// <param name="Zone">The zone the expression is read in: 03:15 in Europe/Berlin is 03:15 there, summer or winter.</param>
/// <param name="Steps">The commands, run one after the other; the first that fails ends the run.</param>
/// <param name="Timeout">How long a run (all its steps, one attempt) may take before it is cancelled; null for no limit.</param>
/// <param name="Retries">How many times a failed run is tried again.</param>
/// <param name="RetryDelay">The wait before the first retry; each further retry waits twice as long as the one before.</param>
/// <param name="Enabled">False keeps the schedule listed (and triggerable by hand) but never due.</param>
/// <param name="Line">The line of sluice.yml where it is defined, for messages.</param>
public sealed record Schedule(
    string Name,
    string Cron,
    CronExpression Times,
    TimeZoneInfo Zone,
    IReadOnlyList<ScheduleStep> Steps,
    TimeSpan? Timeout,
    int Retries,
    TimeSpan RetryDelay,
    bool Enabled,
    int Line)
{
    /// <summary>The notification channels told when a run fails or times out after its last attempt.</summary>
    public IReadOnlyList<string> Notify { get; init; } = [];

    /// <summary>The first time the schedule is due strictly after <paramref name="after"/>, or null when it never is again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) =>
        Enabled ? Times.GetNextOccurrence(after, Zone) : null;

    /// <summary>The wait before retry <paramref name="attempt"/> (1 for the first retry).</summary>
    public TimeSpan DelayBeforeRetry(int attempt) =>
        RetryDelay * Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
}
