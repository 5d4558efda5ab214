using Sluice.Core.Project;
using Sluice.Warehouses.Metadata;
using Sluice.Core.Warehouse;

namespace Sluice.Sync.Engine;

/// <summary>What every kind of table sync does with a failure: classify it and record it.</summary>
internal static class SyncFailures
{
    /// <summary>
    /// True when configuration, the source's schema or its data is at fault (exit code 2) rather
    /// than a server's health: SQLSTATE classes 42 (unknown objects, syntax) and 22 (bad data),
    /// and a login the warehouse refused.
    /// </summary>
    public static bool IsUserFault(Exception error) =>
        error is ConfigurationException or IncompatibleSchemaException or SourceException { IsUserFault: true } or WarehouseException { IsLoginRefused: true }
        || (error is WarehouseException { ErrorCode: { } code } && (code.StartsWith("42", StringComparison.Ordinal) || code.StartsWith("22", StringComparison.Ordinal)));

    /// <summary>
    /// Writes a failed run's row in a session of its own, the failed one having rolled back. The
    /// warehouse itself may be what failed, so a failure here is a warning, never a second error.
    /// </summary>
    public static async Task RecordAsync(IWarehouse warehouse, SyncRunRecord run, ISyncObserver observer)
    {
        try
        {
            await using var session = await warehouse.OpenSessionAsync(CancellationToken.None);
            await SyncStateStore.WriteRunAsync(session, run, CancellationToken.None);
        }
        catch (Exception e) when (e is SluiceException or IOException)
        {
            observer.Warning($"could not record the failed run of {run.Source}.{run.Table} in {MetadataSchema.Name}.sync_runs: {SecretMasker.Mask(e.Message)}");
        }
    }
}
