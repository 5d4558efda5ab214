namespace Sluice.Operate.Schedules;

/// <summary>
/// The hold that makes one scheduler per project: a process runs the project's schedules only
/// while it has it (<see cref="ISchedulerHolds"/>: the warehouse's own hold, or a lease in the
/// shared Redis for an engine that cannot hold). On a database server or a Redis a second
/// scheduler — on this machine or another — stands by and takes over when the first stops or
/// dies (the server lets the lock go with its connection; a lease runs out); a DuckDB file is
/// one machine's and one process's, so a second scheduler there has nothing to wait for.
/// </summary>
public static class SchedulerHold
{
    /// <summary>The hold's name for project <paramref name="project"/>.</summary>
    public static string Name(string project) => "scheduler:" + project;

    /// <summary>
    /// Takes the hold, standing by as long as it takes where the engine allows it. Returns null
    /// when another process has it on an engine without standby (the Holder returned is
    /// then who, when known) or when <paramref name="stopping"/> ended the wait.
    /// </summary>
    /// <param name="holds">Where the hold is kept.</param>
    /// <param name="project">The project's name.</param>
    /// <param name="self">This process, as others are shown it: "sluice schedule on host-1 (pid 412)".</param>
    /// <param name="poll">How often a standby checks whether the hold is free.</param>
    /// <param name="log">Told of standing by (<c>standby</c>) and taking over (<c>took_over</c>).</param>
    /// <param name="clock">The time, for the waits.</param>
    /// <param name="stopping">Ends the wait.</param>
    public static async Task<(ISchedulerLease? Hold, string? Holder)> TakeAsync(
        ISchedulerHolds holds, string project, string self, TimeSpan poll,
        Action<string, IReadOnlyDictionary<string, object?>> log, TimeProvider clock, CancellationToken stopping)
    {
        if (await holds.TryTakeAsync(project, self, stopping) is { } hold)
        {
            return (hold, null);
        }

        var other = await holds.FindHolderAsync(project, stopping);
        if (!holds.StandsBy)
        {
            return (null, other);
        }

        log("standby", new Dictionary<string, object?> { ["project"] = project, ["holder"] = other, ["poll_seconds"] = poll.TotalSeconds });
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(poll, clock, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (await holds.TryTakeAsync(project, self, stopping) is { } taken)
            {
                log("took_over", new Dictionary<string, object?> { ["project"] = project, ["from"] = other });
                return (taken, null);
            }

            // Another standby may have taken over from the holder this one was waiting on.
            if (await holds.FindHolderAsync(project, stopping) is { } now && now != other)
            {
                other = now;
                log("standby", new Dictionary<string, object?> { ["project"] = project, ["holder"] = other, ["poll_seconds"] = poll.TotalSeconds });
            }
        }

        return (null, other);
    }
}
