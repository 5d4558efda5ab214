using Sluice.Core.Models;
using Sluice.Core.Project;
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
        RowCounts rows;
        await using (var transaction = await session.BeginTransactionAsync(cancellationToken))
        {
            var deleted = await session.ExecuteAsync(
                $"delete from {dialect.Quote(build.Table)} where {inRange}", null, cancellationToken);
            var inserted = await session.ExecuteAsync(
                $"insert into {dialect.Quote(build.Table)} ({list}) select {list} from {dialect.Quote(staging.Name)}", null, cancellationToken);

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
    /// Creates the model's table with no rows, from the query's columns. Two partitions built at
    /// once may both try; the loser finds the table there.
    /// </summary>
    private static async Task CreateEmptyAsync(ModelBuild build, string sql, CancellationToken cancellationToken)
    {
        try
        {
            await build.Session.ExecuteAsync(build.Dialect.CreateTableAs(build.Dialect.Quote(build.Table), $"select * from (\n{sql}\n) as model_rows limit 0", ifNotExists: true), null, cancellationToken);
        }
        catch (WarehouseException)
        {
            if (await Relations.KindAsync(build.Session, build.Table, CancellationToken.None) != RelationKind.Table)
            {
                throw;
            }
        }
    }
}
