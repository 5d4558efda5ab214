namespace Sluice.Operate.Schedules;

/// <summary>Where a schedule stands, as <c>_sluice.schedules</c> records it.</summary>
/// <param name="Name">The schedule.</param>
/// <param name="LastTick">The last cron tick that was run, whatever its outcome; null before the first.</param>
/// <param name="LastStatus">How the last run of a tick ended: SUCCESS, FAILED, TIMED_OUT, CANCELLED or INTERRUPTED.</param>
/// <param name="NextDue">When it is due next, as the scheduler last planned it.</param>
/// <param name="UpdatedAt">When the row was last written.</param>
public sealed record ScheduleStanding(string Name, DateTimeOffset? LastTick, string? LastStatus, DateTimeOffset? NextDue, DateTimeOffset UpdatedAt);
