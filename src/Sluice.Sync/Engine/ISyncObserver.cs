namespace Sluice.Sync.Engine;

/// <summary>
/// Follows a sync as it runs, for progress bars and logs. Implementations must be quick and must
/// not throw: the sync calls them on its own thread between batches and rows.
/// </summary>
public interface ISyncObserver
{
    /// <summary>A table's sync begins; <paramref name="estimatedRows"/> is the source's estimate, when known.</summary>
    void TableStarted(string source, string table, long? estimatedRows);

    /// <summary>Rows read so far for the table (called every few thousand rows).</summary>
    void Progress(string source, string table, long rowsRead);

    /// <summary>A batch and its watermark are committed: a crash from here on keeps them.</summary>
    void BatchCommitted(string source, string table, long rowsWritten, string? watermark);

    /// <summary>Deletes were reconciled: <paramref name="rowsDeleted"/> rows were newly found deleted in the source.</summary>
    void Reconciled(string source, string table, long rowsDeleted);

    /// <summary>A parity check of a table finished (matching or not).</summary>
    void ParityChecked(Parity.ParityReport report);

    /// <summary>Something the user should know that does not stop the sync.</summary>
    void Warning(string message);

    /// <summary>A table's sync ended.</summary>
    void TableFinished(TableSyncResult result);
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullSyncObserver : ISyncObserver
{
    /// <summary>The shared instance.</summary>
    public static readonly NullSyncObserver Instance = new();

    /// <inheritdoc />
    public void TableStarted(string source, string table, long? estimatedRows)
    {
    }

    /// <inheritdoc />
    public void Progress(string source, string table, long rowsRead)
    {
    }

    /// <inheritdoc />
    public void BatchCommitted(string source, string table, long rowsWritten, string? watermark)
    {
    }

    /// <inheritdoc />
    public void Reconciled(string source, string table, long rowsDeleted)
    {
    }

    /// <inheritdoc />
    public void ParityChecked(Parity.ParityReport report)
    {
    }

    /// <inheritdoc />
    public void Warning(string message)
    {
    }

    /// <inheritdoc />
    public void TableFinished(TableSyncResult result)
    {
    }
}
