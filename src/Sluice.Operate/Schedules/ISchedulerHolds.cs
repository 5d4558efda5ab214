namespace Sluice.Operate.Schedules;

/// <summary>
/// Where a project's one scheduler is decided: the warehouse itself where its engine can hold
/// (<see cref="WarehouseHolds"/>), or a lease in a store beside it where it cannot.
/// </summary>
public interface ISchedulerHolds
{
    /// <summary>Whether a process that finds the hold taken may stand by to take it over; false when the holder is the only process that can ever have it (a DuckDB file).</summary>
    bool StandsBy { get; }

    /// <summary>Takes the scheduler hold of <paramref name="project"/>, described to others as <paramref name="self"/>; null when another process has it.</summary>
    Task<ISchedulerLease?> TryTakeAsync(string project, string self, CancellationToken cancellationToken);

    /// <summary>The process that has the hold, as it described itself; null when none has it or it cannot be told.</summary>
    Task<string?> FindHolderAsync(string project, CancellationToken cancellationToken);
}

/// <summary>
/// A scheduler hold that was taken. One that lasts for as long as its process (a lock, an open
/// file) is always <see cref="Held"/>; a lease that must be renewed can be lost for a while, and
/// then the scheduler starts no run until it has it again.
/// </summary>
public interface ISchedulerLease : IAsyncDisposable
{
    /// <summary>Whether this process has the hold now.</summary>
    bool Held { get; }

    /// <summary>
    /// How many times the hold was taken: a change means that it was lost and taken again, so
    /// another process may have run schedules meanwhile and their state must be read again.
    /// </summary>
    int Taken { get; }

    /// <summary>Completes once the hold is held again.</summary>
    Task WhenHeldAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Cancelled once the hold held now may be another process's: a run started under it is
    /// cut short, since another process may start the same run. A hold that cannot be lost
    /// never cancels it; after the hold is taken again, a new token.
    /// </summary>
    CancellationToken Gone { get; }
}
