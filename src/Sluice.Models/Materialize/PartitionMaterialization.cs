using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Models.State;

namespace Sluice.Models.Materialize;

/// <summary>
/// One date partition of an incremental model with <c>partition_by</c>: the model's rows for
/// [partition_start, partition_end) are staged, then the partition's old rows are deleted, the
/// new ones inserted and the job-run row written in one transaction — a partition is there
/// completely or not at all. Rows the query returns outside the partition are not kept, so that
/// re-running one partition never touches another.
/// </summary>
public sealed class PartitionMaterialization : IMaterialization
{
    /// <inheritdoc />
    public async Task<RowCounts> BuildAsync(ModelBuild build, CancellationToken cancellationToken)
    {
        var config = build.Model.Config;
        var session = build.Session;
        var dialect = build.Dialect;
        var inRange = Partitions.Condition(dialect.Quote(config.PartitionBy!), config.PartitionKey, build.Facts.PartitionStart, build.Facts.PartitionEnd);
        var exists = await build.ExistingKindAsync(cancellationToken) == RelationKind.Table;

        await build.RunHooksAsync(config.PreHooks, exists, cancellationToken);
        var sql = build.Sql(isIncremental: exists);
        var inPartition = $"select * from (\n{sql}\n) as partition_rows where {inRange}";
        if (!exists)
        {
            await CreateEmptyAsync(build, sql, cancellationToken);
        }

        await using var staging = await ScratchTable.ClaimAsync(session, Relations.Beside(build.Table, $"__p{build.Facts.PartitionStart:yyyyMMdd}"), cancellationToken);
        await session.ExecuteAsync(dialect.CreateTableAs(dialect.Quote(staging.Name), inPartition), null, cancellationToken);
        var columns = await SchemaChanges.ReconcileAsync(build, staging.Name, cancellationToken);
        var processed = await Relations.CountAsync(session, staging.Name, cancellationToken);
        var list = Relations.ColumnList(dialect, columns);
        var swap = await SwapTableAsync(build, staging.Name, list, cancellationToken);
        await using var swapTable = swap?.Table;
        RowCounts rows;
        await using (var transaction = await session.BeginTransactionAsync(cancellationToken))
        {
            long deleted, inserted;
            if (swap is not null)
            {
                deleted = await Relations.CountAsync(session, build.Table, cancellationToken, where: inRange);
                await session.ExecuteAsync(swap.Value.Statement, null, cancellationToken);
                inserted = processed;
                await Relations.DropOwnTableAsync(session, swap.Value.Table.Name, cancellationToken);
            }
            else
            {
                deleted = await session.ExecuteAsync(
                    $"delete from {dialect.Quote(build.Table)} where {inRange}", null, cancellationToken);
                inserted = await session.ExecuteAsync(
                    $"insert into {dialect.Quote(build.Table)} ({list}) select {list} from {dialect.Quote(staging.Name)}", null, cancellationToken);
            }

            // Gone before the partition counts as built: an engine without transactions, killed
            // after the job-run row, would otherwise keep it, since a built partition is not
            // built again.
            await Relations.DropOwnTableAsync(session, staging.Name, cancellationToken);
            // An engine that does not count inserted rows (ClickHouse) inserted every staged one.
            rows = new RowCounts(processed, inserted < 0 ? processed : inserted, 0, Math.Max(deleted, 0));
            await build.CommitState(session, rows, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await build.RunHooksAsync(config.PostHooks, true, cancellationToken);
        return rows;
    }

    /// <summary>
    /// Where the engine swaps whole table partitions in (ClickHouse's REPLACE PARTITION) and the
    /// table is partitioned by the model's partitions, the partition's new rows copied into a
    /// table like the model's, and the statement that swaps them in: one step that touches no
    /// other partition, where a delete would rewrite every part of the table. Null otherwise
    /// (other engines; a table made before it had a partition key, until a --full-refresh).
    /// </summary>
    private static async Task<(ScratchTable Table, string Statement)?> SwapTableAsync(ModelBuild build, TableName staging, string list, CancellationToken cancellationToken)
    {
        var dialect = build.Dialect;
        var config = build.Model.Config;
        if (dialect.PartitionKeyQuery(dialect.Quote(build.Table)) is not { } keyQuery
            || config.Layout.Partition is not { } partitioning
            || await build.Session.ScalarAsync(keyQuery, null, cancellationToken) is not string key)
        {
            return null;
        }

        if (dialect.PartitionId(key, partitioning, build.Facts.PartitionStart) is not { } partition)
        {
            return null;
        }

        var swap = await ScratchTable.ClaimAsync(build.Session, Relations.Beside(build.Table, $"__s{build.Facts.PartitionStart:yyyyMMdd}"), cancellationToken);
        try
        {
            await build.Session.ExecuteAsync(dialect.CreateTableLike(dialect.Quote(swap.Name), dialect.Quote(build.Table)), null, cancellationToken);
            await build.Session.ExecuteAsync($"insert into {dialect.Quote(swap.Name)} ({list}) select {list} from {dialect.Quote(staging)}", null, cancellationToken);

            // The rows must all fall in that one table partition; rows the model's range holds
            // but the key puts elsewhere (a server whose time zone is not its columns') would be
            // left out of the swap, so such a partition is deleted and inserted instead.
            var partitions = await ReadStringsAsync(build.Session, dialect.PartitionIdsQuery, swap.Name, cancellationToken);
            if (partitions.Any(p => p != partition))
            {
                await swap.DisposeAsync();
                return null;
            }

            return (swap, dialect.ReplacePartition(dialect.Quote(build.Table), dialect.Quote(swap.Name), partition));
        }
        catch
        {
            await swap.DisposeAsync();
            throw;
        }
    }

    private static async Task<IReadOnlyList<string>> ReadStringsAsync(IWarehouseSession session, string query, TableName table, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var reader = await session.QueryAsync(query, [table.Schema, table.Name], cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>
    /// Creates the model's table with no rows, from the query's columns. Two partitions built at
    /// once may both try; the loser finds the table there.
    /// </summary>
    private static async Task CreateEmptyAsync(ModelBuild build, string sql, CancellationToken cancellationToken)
    {
        const int Attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ModelTables.CreateAsync(build, build.Table, sql, empty: true, cancellationToken);
                return;
            }
            catch (WarehouseException) when (attempt < Attempts)
            {
                // The winner's create may still be committing (DuckDB reports a write-write
                // conflict): found, it is done; not yet, "if not exists" again will find it.
                if (await Relations.KindAsync(build.Session, build.Table, CancellationToken.None) == RelationKind.Table)
                {
                    return;
                }
            }
            catch (WarehouseException)
            {
                if (await Relations.KindAsync(build.Session, build.Table, CancellationToken.None) != RelationKind.Table)
                {
                    throw;
                }

                return;
            }
        }
    }
}
