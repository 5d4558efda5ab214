using System.Globalization;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Retention;

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> to <c>_sluice</c>: deletes the history rows older than
/// each table's limit, one transaction per table, and never the rows that Sluice reads as state
/// (<see cref="HistoryTables"/>). Running it twice at the same time deletes nothing the second
/// time. The time is the caller's, so that a scheduler's clock (a <see cref="TimeProvider"/>)
/// decides what is old.
/// </summary>
public static class Pruner
{
    /// <summary>
    /// Deletes the history older than the policy's limits at <paramref name="now"/>; returns what
    /// went from each history table, in <see cref="HistoryTables.All"/>'s order. Upgrades the
    /// <c>_sluice</c> schema first when it is behind; a warehouse without it has nothing to prune.
    /// </summary>
    public static Task<IReadOnlyList<PrunedTable>> PruneAsync(IWarehouseSession session, RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(session, policy, now, delete: true, cancellationToken);

    /// <summary>What <see cref="PruneAsync"/> would delete at <paramref name="now"/>, counted without deleting anything.</summary>
    public static Task<IReadOnlyList<PrunedTable>> PreviewAsync(IWarehouseSession session, RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(session, policy, now, delete: false, cancellationToken);

    private static async Task<IReadOnlyList<PrunedTable>> RunAsync(IWarehouseSession session, RetentionPolicy policy, DateTimeOffset now, bool delete, CancellationToken cancellationToken)
    {
        var exists = await MetadataSchema.GetVersionAsync(session, cancellationToken) > 0;
        if (exists)
        {
            await MetadataSchema.MigrateAsync(session, cancellationToken: cancellationToken);
        }

        var pruned = new List<PrunedTable>();
        foreach (var table in HistoryTables.All)
        {
            var limit = policy.LimitFor(table.Name);
            if (limit is null)
            {
                pruned.Add(new PrunedTable(table.Name, null, null, 0));
                continue;
            }

            // A limit longer than the calendar reaches keeps everything, as forever does.
            var cutoff = now - DateTimeOffset.MinValue > limit.Value ? now - limit.Value : DateTimeOffset.MinValue;
            var rows = exists ? await PruneTableAsync(session, table, cutoff, delete, cancellationToken) : 0;
            pruned.Add(new PrunedTable(table.Name, limit, cutoff, rows));
        }

        return pruned;
    }

    private static async Task<long> PruneTableAsync(IWarehouseSession session, HistoryTable table, DateTimeOffset cutoff, bool delete, CancellationToken cancellationToken)
    {
        var dialect = session.Warehouse.Dialect;
        var (condition, parameters) = table.Prunable(dialect, cutoff);
        if (!delete)
        {
            return Convert.ToInt64(
                await session.ScalarAsync($"select count(*) from {dialect.Quote(table.Table)} where {condition}", parameters, cancellationToken),
                CultureInfo.InvariantCulture);
        }

        // Every history table keeps the latest rows of their kind, so its delete reads the table
        // itself. Where a delete cannot (ClickHouse's mutations), a query gathers the keys of the
        // rows that go first, and the delete goes by them.
        TableName? doomed = null;
        try
        {
            if (dialect.DeletesReadingTheirTableMissing is not null && table.Key is { } key)
            {
                doomed = new TableName(MetadataSchema.Name, $"prune__{table.Name}_{Guid.NewGuid().ToString("N")[..8]}");
                var keys = string.Join(", ", key.Select(dialect.Quote));
                await session.ExecuteAsync(dialect.CreateTableAs(dialect.Quote(doomed), $"select {keys} from {dialect.Quote(table.Table)} where {condition}"), parameters, cancellationToken);
                (condition, parameters) = ($"({keys}) in (select {keys} from {dialect.Quote(doomed)})", []);
            }

            await using var transaction = await session.BeginTransactionAsync(cancellationToken);
            var rows = await session.ExecuteAsync($"delete from {dialect.Quote(table.Table)} where {condition}", parameters, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return rows;
        }
        catch (WarehouseException e)
        {
            // Without the engine's error code: the statement is Sluice's own, never the user's SQL.
            throw new WarehouseException($"Pruning {MetadataSchema.Name}.{table.Name} (rows older than {cutoff.UtcDateTime:yyyy-MM-dd HH:mm} UTC) failed and was rolled back: {e.Message}", e)
            {
                IsTransient = e.IsTransient,
            };
        }
        finally
        {
            if (doomed is not null)
            {
                await session.DropTableAsync(doomed, CancellationToken.None);
            }
        }
    }
}
