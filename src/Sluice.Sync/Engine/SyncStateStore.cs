using System.Globalization;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Sync.Engine;

/// <summary>Where a table stands: its watermark and how many syncs it has had.</summary>
/// <param name="CursorColumn">The cursor the watermark belongs to.</param>
/// <param name="Watermark">The highest cursor value copied, as stored text; null before the first sync.</param>
/// <param name="Syncs">Completed syncs so far.</param>
/// <param name="LastReconciledAt">When deletes were last reconciled.</param>
public sealed record SyncState(string? CursorColumn, string? Watermark, long Syncs, DateTime? LastReconciledAt);

/// <summary>One row of <c>_sluice.sync_runs</c> as it stands.</summary>
public sealed record SyncRunRecord(
    string RunId,
    string Source,
    string Table,
    string Mode,
    string Status,
    DateTime StartedAt,
    DateTime? CompletedAt,
    long RowsRead,
    long RowsUpserted,
    long RowsDeleted,
    long Bytes,
    string? WatermarkBefore,
    string? WatermarkAfter,
    string? Error);

/// <summary>
/// Reads and writes the sync's rows in <c>_sluice</c>: <c>sync_state</c> and <c>sync_runs</c>.
/// Writers join the session's open transaction, which is how state commits with the data.
/// </summary>
public static class SyncStateStore
{
    private static readonly TableName StateTable = new(MetadataSchema.Name, "sync_state");
    private static readonly TableName RunsTable = new(MetadataSchema.Name, "sync_runs");

    /// <summary>The table's state, or a fresh one before its first sync.</summary>
    public static async Task<SyncState> ReadAsync(IWarehouseSession session, string source, string table, CancellationToken cancellationToken)
    {
        var q = session.Warehouse.Dialect;
        await using var reader = await session.QueryAsync(
            $"select cursor_column, watermark, syncs, last_reconciled_at from {q.Quote(StateTable)} where source = $1 and table_name = $2",
            [source, table],
            cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new SyncState(null, null, 0, null);
        }

        return new SyncState(
            reader.IsDBNull(0) ? null : reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
            reader.IsDBNull(3) ? null : ToUtc(reader.GetValue(3)));
    }

    /// <summary>Writes the table's state (inside the caller's transaction).</summary>
    public static async Task WriteAsync(IWarehouseSession session, string source, string table, SyncState state, CancellationToken cancellationToken)
    {
        var q = session.Warehouse.Dialect;
        await session.ExecuteAsync($"delete from {q.Quote(StateTable)} where source = $1 and table_name = $2", [source, table], cancellationToken);
        await session.ExecuteAsync(
            $"insert into {q.Quote(StateTable)} (source, table_name, cursor_column, watermark, syncs, last_reconciled_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7)",
            [source, table, state.CursorColumn, state.Watermark, state.Syncs, state.LastReconciledAt, DateTime.UtcNow],
            cancellationToken);
    }

    /// <summary>Writes a run's row as it now stands (inside the caller's transaction, if any).</summary>
    public static async Task WriteRunAsync(IWarehouseSession session, SyncRunRecord run, CancellationToken cancellationToken)
    {
        var q = session.Warehouse.Dialect;
        await session.ExecuteAsync($"delete from {q.Quote(RunsTable)} where run_id = $1", [run.RunId], cancellationToken);
        await session.ExecuteAsync(
            $"""
            insert into {q.Quote(RunsTable)} (run_id, source, table_name, mode, status, started_at, completed_at, rows_read, rows_upserted,
                rows_deleted, bytes, watermark_before, watermark_after, error)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            """,
            [run.RunId, run.Source, run.Table, run.Mode, run.Status, run.StartedAt, run.CompletedAt, run.RowsRead, run.RowsUpserted,
                run.RowsDeleted, run.Bytes, run.WatermarkBefore, run.WatermarkAfter, run.Error],
            cancellationToken);
    }

    /// <summary>
    /// Marks runs of the table left "running" by a process that died as "interrupted": a run
    /// row only changes inside the transactions of its batches, so a dead one stays "running".
    /// </summary>
    public static Task<int> MarkInterruptedAsync(IWarehouseSession session, string source, string table, CancellationToken cancellationToken)
    {
        var q = session.Warehouse.Dialect;
        return session.ExecuteAsync(
            $"update {q.Quote(RunsTable)} set status = 'interrupted', error = 'the sync process stopped before the run finished; the last committed batch is kept' where source = $1 and table_name = $2 and status = 'running'",
            [source, table],
            cancellationToken);
    }

    private static DateTime ToUtc(object value) => value switch
    {
        DateTime t => t.Kind == DateTimeKind.Utc ? t : DateTime.SpecifyKind(t, DateTimeKind.Utc),
        DateTimeOffset o => o.UtcDateTime,
        _ => throw new InvalidCastException($"Unexpected timestamp value {value.GetType().Name} in {StateTable}."),
    };
}
