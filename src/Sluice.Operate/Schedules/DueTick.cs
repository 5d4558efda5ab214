namespace Sluice.Operate.Schedules;

/// <summary>
/// A schedule's tick that is due now: the latest cron time at or before now that has not been
/// run. When the scheduler was down across several ticks, they are caught up by this one run.
/// </summary>
/// <param name="Schedule">The schedule.</param>
/// <param name="Tick">The cron time being run.</param>
/// <param name="Missed">How many ticks since the last one run are due, this one included: more than one when earlier ones are folded into it.</param>
public sealed record DueTick(Schedule Schedule, DateTimeOffset Tick, int Missed)
{
    // Folding ticks counts them; past this many the count says "at least".
    private const int CountLimit = 100_000;

    /// <summary>
    /// The tick of <paramref name="schedule"/> due at <paramref name="now"/>, or null when none is:
    /// cron times after <paramref name="lastTick"/> (the last one run; when it has never run, the
    /// time the scheduler first saw it) up to and including <paramref name="now"/>.
    /// </summary>
    public static DueTick? Find(Schedule schedule, DateTimeOffset lastTick, DateTimeOffset now)
    {
        if (schedule.NextAfter(lastTick) is not { } first || first > now)
        {
            return null;
        }

        var latest = first;
        var missed = 1;
        foreach (var time in schedule.Times.GetOccurrences(first, now, schedule.Zone, fromInclusive: false, toInclusive: true))
        {
            latest = time;
            if (++missed >= CountLimit)
            {
                // A schedule due every minute and down for months: jump to the last time at or before now.
                latest = LastAtOrBefore(schedule, now) ?? latest;
                break;
            }
        }

        return new DueTick(schedule, latest, missed);
    }

    private static DateTimeOffset? LastAtOrBefore(Schedule schedule, DateTimeOffset now)
    {
        // Cron times are at most a year or so apart (Feb 29 aside); look back a day, then wider.
        foreach (var back in new[] { TimeSpan.FromDays(1), TimeSpan.FromDays(400), TimeSpan.FromDays(3000) })
        {
            DateTimeOffset? last = null;
            foreach (var time in schedule.Times.GetOccurrences(now - back, now, schedule.Zone, fromInclusive: true, toInclusive: true))
            {
                last = time;
            }

            if (last is not null)
            {
                return last;
            }
        }

        return null;
    }
}
