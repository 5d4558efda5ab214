using Sluice.Core.Warehouse;
using Sluice.Sync.Postgres;

namespace Sluice.Sync.Engine;

/// <summary>
/// Finds rows deleted in the source: every primary key the source holds now is copied into a
/// scratch table, and raw rows whose key is not among them get <c>_sluice_deleted_at</c>. A row
/// that comes back later is un-deleted by the merge that copies it.
/// </summary>
internal static class DeleteReconciliation
{
    /// <summary>
    /// Marks raw rows missing from the source as deleted, inside the session's open transaction,
    /// and returns how many were newly marked. Memory stays bounded: keys stream through the bulk path.
    /// </summary>
    public static async Task<long> RunAsync(
        IWarehouseSession session,
        PostgresSource source,
        SourceTable table,
        TableName raw,
        IReadOnlyList<string> keys,
        CancellationToken cancellationToken)
    {
        var keyTable = table with { Columns = keys.Select(k => table.Column(k)!).ToList() };
        var scratch = RawTables.KeysFor(raw);
        await session.DropTableAsync(scratch, cancellationToken);
        await session.CreateScratchTableAsync(scratch, keyTable.Columns.Select(c => new ColumnSpec(c.Name, c.Type)).ToList(), cancellationToken);
        await using (var copy = await CopyRows.StartAsync(source, keyTable, null, null, 0, cancellationToken))
        {
            await session.BulkLoadAsync(scratch, keys, Drain(copy, cancellationToken), cancellationToken);
        }

        var marked = await MarkMissingAsync(session, raw, scratch, keys, null, cancellationToken);
        await session.DropTableAsync(scratch, cancellationToken);
        return marked;
    }

    /// <summary>
    /// Marks live raw rows (within <paramref name="scope"/>, a condition on the raw table, when
    /// given) whose key is not in <paramref name="present"/> as deleted now; returns how many.
    /// </summary>
    public static Task<int> MarkMissingAsync(IWarehouseSession session, TableName raw, TableName present, IReadOnlyList<string> keys, string? scope, CancellationToken cancellationToken)
    {
        var q = session.Warehouse.Dialect;
        return session.ExecuteAsync(
            $"update {q.Quote(raw)} set {q.Quote(RawTables.DeletedAt)} = $1 where {q.Quote(RawTables.DeletedAt)} is null{(scope is null ? "" : $" and ({scope})")} and {q.KeysAbsent(q.Quote(raw), q.Quote(present), keys)}",
            [DateTime.UtcNow],
            cancellationToken);
    }

    private static async IAsyncEnumerable<object?[]> Drain(CopyRows copy, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await copy.ReadAsync(cancellationToken) is { } row)
        {
            yield return row;
        }
    }
}
