using Sluice.Core.Models;
using Sluice.Core.Warehouse;
using Sluice.Models.State;

namespace Sluice.Models.Materialize;

/// <summary>
/// <c>materialized='incremental'</c> without partitions: the first build (or --full-refresh)
/// is a table build; later runs render the model with <c>is_incremental()</c> true, stage its
/// rows, reconcile columns per <c>on_schema_change</c>, and fold the rows in with the strategy
/// (append, merge, delete+insert) in one transaction with the job-run row.
/// </summary>
public sealed class IncrementalMaterialization : IMaterialization
{
    /// <inheritdoc />
    public async Task<RowCounts> BuildAsync(ModelBuild build, CancellationToken cancellationToken)
    {
        var config = build.Model.Config;
        var fullRefresh = build.FullRefresh && config.FullRefresh != false;
        var exists = await build.ExistingKindAsync(cancellationToken) == RelationKind.Table;
        if (!exists || fullRefresh)
        {
            await build.RunHooksAsync(config.PreHooks, false, cancellationToken);
            var built = await TableMaterialization.ReplaceAsync(build, build.Sql(isIncremental: false), cancellationToken);
            await build.RunHooksAsync(config.PostHooks, false, cancellationToken);
            return built;
        }

        await build.RunHooksAsync(config.PreHooks, true, cancellationToken);
        var session = build.Session;
        await using var staging = await ScratchTable.ClaimAsync(session, Relations.Beside(build.Table, "__sluice_new"), cancellationToken);
        await session.ExecuteAsync(build.Dialect.CreateTableAs(build.Dialect.Quote(staging.Name), build.Sql(isIncremental: true)), null, cancellationToken);
        var columns = await SchemaChanges.ReconcileAsync(build, staging.Name, cancellationToken);
        var processed = await Relations.CountAsync(session, staging.Name, cancellationToken);
        if (config.Strategy == IncrementalStrategy.Merge)
        {
            await RequireUniqueKeysAsync(build, staging.Name, cancellationToken);
        }

        RowCounts rows;
        await using (var transaction = await session.BeginTransactionAsync(cancellationToken))
        {
            rows = await FoldInAsync(build, staging.Name, columns, processed, cancellationToken);
            await build.CommitState(session, rows, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await build.RunHooksAsync(config.PostHooks, true, cancellationToken);
        return rows;
    }

    private static async Task<RowCounts> FoldInAsync(ModelBuild build, TableName staging, IReadOnlyList<string> columns, long processed, CancellationToken cancellationToken)
    {
        var session = build.Session;
        var dialect = build.Dialect;
        var target = dialect.Quote(build.Table);
        var list = Relations.ColumnList(dialect, columns);
        var insert = $"insert into {target} ({list}) select {list} from {dialect.Quote(staging)}";
        var config = build.Model.Config;
        if (config.Strategy == IncrementalStrategy.Append)
        {
            var appended = await session.ExecuteAsync(insert, null, cancellationToken);
            return new RowCounts(processed, appended, 0, 0);
        }

        var keys = Relations.ColumnList(dialect, config.UniqueKey);
        var deleted = await session.ExecuteAsync(
            $"delete from {target} where ({keys}) in (select {keys} from {dialect.Quote(staging)})", null, cancellationToken);
        var inserted = await session.ExecuteAsync(insert, null, cancellationToken);

        // A merge replaces matched rows in place: they count as updated, the rest as inserted.
        return config.Strategy == IncrementalStrategy.Merge
            ? new RowCounts(processed, inserted - deleted, deleted, 0)
            : new RowCounts(processed, inserted, 0, deleted);
    }

    private static async Task RequireUniqueKeysAsync(ModelBuild build, TableName staging, CancellationToken cancellationToken)
    {
        var duplicates = await Relations.DuplicateKeysAsync(build.Session, staging, build.Model.Config.UniqueKey, cancellationToken);
        if (duplicates > 0)
        {
            throw new ModelException(
                $"model '{build.Model.Name}' ({build.Model.File}): the new rows hold {duplicates} unique_key value(s) ({string.Join(", ", build.Model.Config.UniqueKey)}) more than once, which a merge cannot apply; make the key unique in the model's SQL, or use incremental_strategy='delete+insert'.");
        }
    }
}
