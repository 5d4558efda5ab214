using Sluice.Core.Warehouse;

namespace Sluice.Operate.Schedules;

/// <summary>
/// The scheduler hold kept by the warehouse itself (<see cref="IWarehouse.TryHoldAsync"/>): an
/// advisory lock on a database server, which the server lets go with the connection, or the open
/// DuckDB file. Held until disposed or until the process ends.
/// </summary>
public sealed class WarehouseHolds(IWarehouse warehouse) : ISchedulerHolds
{
    /// <summary>
    /// Whether <paramref name="warehouse"/> can keep a hold. Engines with transactions have locks
    /// (or, for an embedded file, one process); ClickHouse has neither, and a hold for it is kept
    /// elsewhere.
    /// </summary>
    public static bool CanHold(IWarehouse warehouse) => warehouse.Capabilities.Transactions;

    /// <inheritdoc />
    public bool StandsBy => warehouse.Capabilities.ConcurrentWriters;

    /// <inheritdoc />
    public async Task<ISchedulerLease?> TryTakeAsync(string project, string self, CancellationToken cancellationToken) =>
        await warehouse.TryHoldAsync(SchedulerHold.Name(project), self, cancellationToken) is { } hold ? new Kept(hold) : null;

    /// <inheritdoc />
    public Task<string?> FindHolderAsync(string project, CancellationToken cancellationToken) =>
        warehouse.FindHolderAsync(SchedulerHold.Name(project), cancellationToken);

    private sealed class Kept(IAsyncDisposable hold) : ISchedulerLease
    {
        public bool Held => true;

        public int Taken => 1;

        public Task WhenHeldAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public CancellationToken Gone => CancellationToken.None;

        public ValueTask DisposeAsync() => hold.DisposeAsync();
    }
}
