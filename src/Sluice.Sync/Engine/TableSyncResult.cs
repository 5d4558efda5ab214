namespace Sluice.Sync.Engine;

/// <summary>How a sync of one table ended.</summary>
public enum SyncStatus
{
    /// <summary>Every row is in the warehouse.</summary>
    Success,
    /// <summary>The table stopped with an error; the warehouse holds what the last committed batch left.</summary>
    Failed,
}

/// <summary>The outcome of syncing one table.</summary>
/// <param name="Source">The source's name.</param>
/// <param name="Table">The table (or, for CSV, the warehouse table name after the source prefix).</param>
/// <param name="Mode">incremental, full, full-refresh or csv.</param>
/// <param name="Status">Success or failure.</param>
/// <param name="RowsRead">Rows read from the source.</param>
/// <param name="RowsUpserted">Rows written to the warehouse.</param>
/// <param name="RowsDeleted">Rows newly marked deleted.</param>
/// <param name="Bytes">Bytes of values read.</param>
/// <param name="WatermarkBefore">The cursor watermark before the sync.</param>
/// <param name="WatermarkAfter">The cursor watermark after it.</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="Error">Why it failed: one line naming the table and what to do.</param>
/// <param name="IsUserFault">True when configuration or source schema is at fault (exit code 2).</param>
public sealed record TableSyncResult(
    string Source,
    string Table,
    string Mode,
    SyncStatus Status,
    long RowsRead,
    long RowsUpserted,
    long RowsDeleted,
    long Bytes,
    string? WatermarkBefore,
    string? WatermarkAfter,
    TimeSpan Elapsed,
    string? Error = null,
    bool IsUserFault = false)
{
    /// <summary>The parity check that ended the sync, when one ran.</summary>
    public Parity.ParityReport? Parity { get; init; }
}
