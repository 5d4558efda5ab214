using System.Globalization;
using Sluice.Core.Models;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Models.Materialize;

/// <summary>
/// Keeps a model's rollups (config <c>rollups</c>) in step with its table. A build rebuilds them
/// inside the transaction that commits the model's rows, and a partition's build refreshes the
/// rollup periods the partition holds, so a reader never sees a rollup of other rows than the
/// model's. <c>_sluice.rollups</c> records each rollup table with the definition it was built
/// from; a server reads a rollup only while that is the definition the project declares.
/// </summary>
public static class Rollups
{
    /// <summary>The state table.</summary>
    public static readonly TableName StateTable = new(MetadataSchema.Name, "rollups");

    /// <summary>
    /// Rebuilds every rollup of <paramref name="model"/> from its table, and drops those it
    /// built before under names it no longer declares. Call inside the transaction that changed the model.
    /// </summary>
    public static async Task RebuildAllAsync(IWarehouseSession session, ModelDefinition model, CancellationToken cancellationToken)
    {
        await DropUndeclaredAsync(session, model, cancellationToken);
        foreach (var rollup in model.Config.Rollups)
        {
            await RebuildAsync(session, model, rollup, cancellationToken);
        }
    }

    /// <summary>
    /// Refreshes the periods of [<paramref name="start"/>, <paramref name="end"/>) in every rollup
    /// of a partitioned model; a rollup not built from its current definition is rebuilt whole.
    /// Call inside the transaction that replaced the partition.
    /// </summary>
    public static async Task RefreshPartitionAsync(IWarehouseSession session, ModelDefinition model, DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        var built = await BuiltAsync(session, model, cancellationToken);
        foreach (var rollup in model.Config.Rollups)
        {
            if (built.GetValueOrDefault(rollup.TableFor(model.Table).ToString()) != rollup.Definition)
            {
                await RebuildAsync(session, model, rollup, cancellationToken);
                continue;
            }

            var dialect = session.Warehouse.Dialect;
            var table = dialect.Quote(rollup.TableFor(model.Table));
            await session.ExecuteAsync(
                $"delete from {table} where {dialect.Quote(RollupDefinition.PeriodColumn)} >= $1 and {dialect.Quote(RollupDefinition.PeriodColumn)} < $2",
                [start, end], cancellationToken);
            var time = dialect.Quote(rollup.Time);
            await session.ExecuteAsync(
                $"insert into {table}\n{Select(dialect, model, rollup, $"{time} >= {DayLiteral(start)} and {time} < {DayLiteral(end)}")}",
                null, cancellationToken);
        }
    }

    /// <summary>
    /// Whether every rollup of <paramref name="model"/> was built from its current definition and
    /// none is left from an older one: then partitions may refresh them concurrently.
    /// </summary>
    public static async Task<bool> AreCurrentAsync(IWarehouseSession session, ModelDefinition model, CancellationToken cancellationToken)
    {
        var built = await BuiltAsync(session, model, cancellationToken);
        return built.Count == model.Config.Rollups.Count
            && model.Config.Rollups.All(r => built.GetValueOrDefault(r.TableFor(model.Table).ToString()) == r.Definition);
    }

    /// <summary>Drops every rollup of <paramref name="model"/> and its record, as when the model's table is dropped.</summary>
    public static async Task DropAllAsync(IWarehouseSession session, ModelDefinition model, CancellationToken cancellationToken)
    {
        foreach (var table in (await BuiltAsync(session, model, cancellationToken)).Keys)
        {
            await DropAsync(session, TableName.Parse(table), cancellationToken);
        }
    }

    /// <summary>The query that summarizes the model's rows meeting <paramref name="condition"/> (all when null) into the rollup's rows.</summary>
    public static string Select(ISqlDialect dialect, ModelDefinition model, RollupDefinition rollup, string? condition)
    {
        var period = dialect.PeriodStart(rollup.GrainName, dialect.Quote(rollup.Time));
        var columns = new List<string> { $"{period} as {dialect.Quote(RollupDefinition.PeriodColumn)}" };
        columns.AddRange(rollup.Dimensions.Select(dialect.Quote));
        columns.Add($"count(*) as {dialect.Quote(RollupDefinition.RowCountColumn)}");
        foreach (var measure in rollup.Measures)
        {
            var value = dialect.CastTo(dialect.Quote(measure), ColumnType.Double);
            var (count, sum, m2, min, max) = RollupDefinition.MeasureColumns(measure);
            columns.Add($"count({value}) as {dialect.Quote(count)}");
            columns.Add($"sum({value}) as {dialect.Quote(sum)}");

            // Squared deviations from the group's own mean, not a sum of squares: the server
            // combines groups without the cancellation a sum of squares suffers on large values.
            columns.Add($"var_pop({value}) * count({value}) as {dialect.Quote(m2)}");
            columns.Add($"min({value}) as {dialect.Quote(min)}");
            columns.Add($"max({value}) as {dialect.Quote(max)}");
        }

        // Grouped by expressions, not positions: not every engine reads a number there as a position.
        var keys = string.Join(", ", [period, .. rollup.Dimensions.Select(dialect.Quote)]);
        return $"select {string.Join(", ", columns)}\nfrom {dialect.Quote(model.Table)}{(condition is null ? "" : $"\nwhere {condition}")}\ngroup by {keys}";
    }

    private static async Task RebuildAsync(IWarehouseSession session, ModelDefinition model, RollupDefinition rollup, CancellationToken cancellationToken)
    {
        var dialect = session.Warehouse.Dialect;
        var table = rollup.TableFor(model.Table);
        await session.ExecuteAsync($"drop table if exists {dialect.Quote(table)}", null, cancellationToken);
        try
        {
            await session.ExecuteAsync(dialect.CreateTableAs(dialect.Quote(table), Select(dialect, model, rollup, null)), null, cancellationToken);
        }
        catch (Core.Project.WarehouseException e)
        {
            throw new ModelException($"{rollup.Origin}: rollup '{rollup.Name}' of model '{model.Name}' could not be built: {e.Message.Split('\n', 2)[0].Trim()} — check that time, dimensions and measures are columns of the model and that the measures are numbers.", e);
        }

        await session.ExecuteAsync($"delete from {dialect.Quote(StateTable)} where rollup_table = $1", [table.ToString()], cancellationToken);
        await session.ExecuteAsync(
            $"insert into {dialect.Quote(StateTable)} (rollup_table, model, definition, built_at) values ($1, $2, $3, $4)",
            [table.ToString(), model.Name, rollup.Definition, DateTimeOffset.UtcNow], cancellationToken);
    }

    private static async Task DropUndeclaredAsync(IWarehouseSession session, ModelDefinition model, CancellationToken cancellationToken)
    {
        var declared = model.Config.Rollups.Select(r => r.TableFor(model.Table).ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var table in (await BuiltAsync(session, model, cancellationToken)).Keys.Where(t => !declared.Contains(t)))
        {
            await DropAsync(session, TableName.Parse(table), cancellationToken);
        }
    }

    private static async Task DropAsync(IWarehouseSession session, TableName table, CancellationToken cancellationToken)
    {
        var dialect = session.Warehouse.Dialect;
        await session.ExecuteAsync($"drop table if exists {dialect.Quote(table)}", null, cancellationToken);
        await session.ExecuteAsync($"delete from {dialect.Quote(StateTable)} where rollup_table = $1", [table.ToString()], cancellationToken);
    }

    // The rollup tables recorded for the model, with the definitions they were built from.
    private static async Task<Dictionary<string, string>> BuiltAsync(IWarehouseSession session, ModelDefinition model, CancellationToken cancellationToken)
    {
        var built = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await session.QueryAsync(
            $"select rollup_table, definition from {session.Warehouse.Dialect.Quote(StateTable)} where model = $1", [model.Name], cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            built[reader.GetString(0)] = reader.GetString(1);
        }

        return built;
    }

    private static string DayLiteral(DateOnly day) => $"date '{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'";
}
