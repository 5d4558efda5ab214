using Sluice.Core.Models;
using Sluice.Core.Sync;
using Sluice.Core.Warehouse;
using Sluice.Models.State;
using Sluice.Warehouses.Metadata;

namespace Sluice.Models.Run;

/// <summary>
/// Finds the built partitions of a model whose inputs (config <c>partition_inputs</c>) a sync has
/// changed since: a raw row of the partition's days written or marked deleted at or after the
/// partition's last successful build began — or after a sync began that was still committing
/// batches when the build began, since the build could not see rows that sync stamped earlier.
/// Builds a full refresh superseded do not count: their partitions are gone with the old table.
/// </summary>
internal static class StalePartitions
{
    private static readonly TableName SyncRuns = new(MetadataSchema.Name, "sync_runs");

    /// <summary>The first days of the stale partitions, across every input.</summary>
    public static async Task<IReadOnlySet<DateOnly>> FindAsync(IWarehouseSession session, ModelDefinition model, CancellationToken cancellationToken)
    {
        var stale = new HashSet<DateOnly>();
        foreach (var input in model.Config.PartitionInputs)
        {
            var raw = RawTableNames.For(input.Source, input.Table);
            var info = await session.DescribeTableAsync(raw, cancellationToken)
                ?? throw new ModelException($"{model.File}: partition_inputs of '{model.Name}' names {input.Source}.{input.Table}, whose table {raw} does not exist; check the name against sluice.yml's sources and run `sluice sync`.");
            var column = info.Columns.FirstOrDefault(c => string.Equals(c.Name, input.Column, StringComparison.OrdinalIgnoreCase))
                ?? throw new ModelException($"{model.File}: partition_inputs of '{model.Name}' names column '{input.Column}', which {raw} does not have; its columns are {string.Join(", ", info.Columns.Select(c => c.Name))}.");
            if (column.Type.Kind is not (ColumnKind.Date or ColumnKind.Timestamp or ColumnKind.TimestampTz))
            {
                throw new ModelException($"{model.File}: partition_inputs of '{model.Name}' names {raw}.{column.Name}, of type {column.Type}; name a date or timestamp column.");
            }

            var q = session.Warehouse.Dialect;
            var day = column.Type.Kind switch
            {
                ColumnKind.TimestampTz => $"cast({q.Quote(column.Name)} at time zone 'UTC' as date)",
                _ => $"cast({q.Quote(column.Name)} as date)",
            };
            var partition = model.Config.Grain == PartitionGrain.Day ? day : $"cast(date_trunc('{model.Config.Grain.ToString().ToLowerInvariant()}', {day}) as date)";
            var synced = q.Quote(Sync.Engine.RawTables.SyncedAt);
            var deleted = q.Quote(Sync.Engine.RawTables.DeletedAt);
            var sql = $"""
                with changed as (
                    select {partition} as p, max(greatest({synced}, coalesce({deleted}, {synced}))) as changed_at
                    from {q.Quote(raw)}
                    group by 1
                ),
                built as (
                    select target_date as p, max(started_at) as built_at
                    from {q.Quote(JobRunStore.Table)}
                    where job_name = $1 and status = 'SUCCESS' and target_date is not null and superseded_by is null
                    group by 1
                )
                select built.p
                from built
                join changed on changed.p = built.p
                where changed.changed_at >= coalesce((
                    select min(r.started_at)
                    from {q.Quote(SyncRuns)} r
                    where r.source = $2 and r.table_name = $3 and r.started_at <= built.built_at
                      and (r.completed_at is null or r.completed_at >= built.built_at)), built.built_at)
                """;
            await using var reader = await session.QueryAsync(sql, [model.Name, input.Source, input.Table], cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stale.Add(reader.GetFieldValue<DateOnly>(0));
            }
        }

        return stale;
    }
}
