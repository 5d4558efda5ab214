using System.Globalization;
using Sluice.Core.Models;
using Sluice.Core.Warehouse;
using Sluice.Models.State;

namespace Sluice.Models.Materialize;

/// <summary>
/// An SCD Type 2 snapshot. Each run stages the snapshot query's rows and, in one transaction:
/// closes the current version of every key whose row changed (by <c>updated_at</c>, or by
/// <c>check_cols</c>), inserts a new current version for changed and new keys, and — with
/// <c>invalidate_hard_deletes</c> — closes the current version of keys that left the source.
/// A key that comes back after a delete starts a new version.
/// </summary>
public sealed class SnapshotMaterialization(SnapshotColumns names) : IMaterialization
{
    /// <inheritdoc />
    public async Task<RowCounts> BuildAsync(ModelBuild build, CancellationToken cancellationToken)
    {
        var session = build.Session;
        var dialect = build.Dialect;
        if (dialect.SnapshotsMissing is { } missing)
        {
            throw new ModelException($"snapshots cannot be built on this warehouse yet: {missing}; build them on DuckDB or PostgreSQL.");
        }

        var config = build.Model.Config.Snapshot!;
        var now = $"cast('{build.Facts.RunStartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}' as timestamp)";
        // A version's time is its row's updated_at when the snapshot names one (with either
        // strategy, as dbt does: a check snapshot may say when its rows changed), else the run's.
        var version = config.UpdatedAt switch
        {
            null => now,
            var column when Identifier.IsValid(column) => $"source_rows.{dialect.Quote(column)}",
            var expression => $"({expression})",
        };
        var keyText = string.Join(" || '|' || ", config.UniqueKey.Select(k => $"coalesce(cast(source_rows.{dialect.Quote(k)} as varchar), '')"));

        await build.RunHooksAsync(build.Model.Config.PreHooks, false, cancellationToken);
        await using var staging = await ScratchTable.ClaimAsync(session, Relations.Beside(build.Table, "__sluice_new"), cancellationToken);
        await session.ExecuteAsync(
            $"""
            create table {dialect.Quote(staging.Name)} as
            select source_rows.*, md5({keyText} || '|' || coalesce(cast({version} as varchar), '')) as {dialect.Quote(names.ScdId)}, {version} as {dialect.Quote(names.UpdatedAt)}
            from (
            {build.Sql(isIncremental: false)}
            ) as source_rows
            """,
            null,
            cancellationToken);
        await RequireUniqueKeysAsync(build, staging.Name, cancellationToken);
        var sourceColumns = (await Relations.ColumnsAsync(session, staging.Name, cancellationToken))
            .Where(c => c.Name != names.ScdId && c.Name != names.UpdatedAt)
            .ToList();
        var processed = await Relations.CountAsync(session, staging.Name, cancellationToken);

        RowCounts rows;
        var exists = await build.ExistingKindAsync(cancellationToken) == RelationKind.Table;
        if (exists)
        {
            await AddNewColumnsAsync(build, sourceColumns, cancellationToken);
        }

        await using (var transaction = await session.BeginTransactionAsync(cancellationToken))
        {
            rows = exists
                ? await MergeAsync(build, staging.Name, sourceColumns, now, processed, cancellationToken)
                : await CreateAsync(build, staging.Name, processed, cancellationToken);
            await build.CommitState(session, rows, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await build.RunHooksAsync(build.Model.Config.PostHooks, false, cancellationToken);
        return rows;
    }

    private async Task<RowCounts> CreateAsync(ModelBuild build, TableName staging, long processed, CancellationToken cancellationToken)
    {
        var dialect = build.Dialect;
        var updatedAt = dialect.Quote(names.UpdatedAt);
        await build.Session.ExecuteAsync(
            $"""
            create table {dialect.Quote(build.Table)} as
            select *, {updatedAt} as {dialect.Quote(names.ValidFrom)}, case when false then {updatedAt} end as {dialect.Quote(names.ValidTo)}, true as {dialect.Quote(names.IsCurrent)}
            from {dialect.Quote(staging)}
            """,
            null,
            cancellationToken);
        return new RowCounts(processed, processed, 0, 0);
    }

    private async Task<RowCounts> MergeAsync(ModelBuild build, TableName staging, IReadOnlyList<RelationColumn> sourceColumns, string now, long processed, CancellationToken cancellationToken)
    {
        var session = build.Session;
        var config = build.Model.Config.Snapshot!;
        var dialect = build.Dialect;
        var target = dialect.Quote(build.Table);
        var stage = dialect.Quote(staging);
        var validTo = dialect.Quote(names.ValidTo);
        var isCurrent = dialect.Quote(names.IsCurrent);
        var updatedAt = dialect.Quote(names.UpdatedAt);
        string KeyMatch(string left, string right) => string.Join(" and ", config.UniqueKey.Select(k => $"{left}.{dialect.Quote(k)} = {right}.{dialect.Quote(k)}"));

        var checkColumns = config.CheckColumns.Count > 0
            ? config.CheckColumns
            : sourceColumns.Select(c => c.Name).Where(c => !config.UniqueKey.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        var changed = config.Strategy == SnapshotStrategy.Timestamp
            ? $"new_rows.{updatedAt} > {target}.{updatedAt}"
            : "(" + string.Join(" or ", checkColumns.Select(c => $"{target}.{dialect.Quote(c)} is distinct from new_rows.{dialect.Quote(c)}")) + ")";

        var updated = await session.ExecuteAsync(
            $"""
            update {target} set {validTo} = new_rows.{updatedAt}, {isCurrent} = false
            from {stage} as new_rows
            where {KeyMatch(target, "new_rows")} and {target}.{validTo} is null and {changed}
            """,
            null,
            cancellationToken);

        var deleted = 0;
        if (config.InvalidateHardDeletes)
        {
            deleted = await session.ExecuteAsync(
                $"""
                update {target} set {validTo} = {now}, {isCurrent} = false
                where {validTo} is null and not exists (select 1 from {stage} as new_rows where {KeyMatch("new_rows", target)})
                """,
                null,
                cancellationToken);
        }

        var columns = Relations.ColumnList(dialect, [.. sourceColumns.Select(c => c.Name), names.ScdId, names.UpdatedAt]);
        var inserted = await session.ExecuteAsync(
            $"""
            insert into {target} ({columns}, {dialect.Quote(names.ValidFrom)}, {validTo}, {isCurrent})
            select {columns}, {updatedAt}, null, true
            from {stage} as new_rows
            where not exists (select 1 from {target} as versions where {KeyMatch("versions", "new_rows")} and versions.{validTo} is null)
            """,
            null,
            cancellationToken);
        return new RowCounts(processed, inserted, updated, deleted);
    }

    private static async Task AddNewColumnsAsync(ModelBuild build, IReadOnlyList<RelationColumn> sourceColumns, CancellationToken cancellationToken)
    {
        var existing = (await Relations.ColumnNamesAsync(build.Session, build.Table, cancellationToken)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var column in sourceColumns.Where(c => !existing.Contains(c.Name)))
        {
            await build.Session.ExecuteAsync($"alter table {build.Dialect.Quote(build.Table)} add column {build.Dialect.Quote(column.Name)} {column.DataType}", null, cancellationToken);
        }
    }

    private static async Task RequireUniqueKeysAsync(ModelBuild build, TableName staging, CancellationToken cancellationToken)
    {
        var duplicates = await Relations.DuplicateKeysAsync(build.Session, staging, build.Model.Config.Snapshot!.UniqueKey, cancellationToken);
        if (duplicates > 0)
        {
            throw new ModelException(
                $"snapshot '{build.Model.Name}' ({build.Model.File}): {duplicates} unique_key value(s) ({string.Join(", ", build.Model.Config.Snapshot.UniqueKey)}) appear more than once in the query's rows; a snapshot needs one row per key.");
        }
    }
}
