using Sluice.Core.Warehouse;

namespace Sluice.Models.Materialize;

/// <summary>
/// Makes a model's own table (not its scratch tables) from its query, laid out by the model's
/// partition_by, order_by and low_cardinality where the engine lays tables out. The columns those
/// configs name must be columns of the query, on every engine, so that a project that builds on
/// the embedded warehouse builds on ClickHouse too.
/// </summary>
internal static class ModelTables
{
    /// <summary>Creates <paramref name="table"/> from <paramref name="sql"/>'s rows, or with none and only if it is not there yet.</summary>
    public static async Task CreateAsync(ModelBuild build, TableName table, string sql, bool empty, CancellationToken cancellationToken)
    {
        var session = build.Session;
        var dialect = build.Dialect;
        var query = empty ? $"select * from (\n{sql}\n) as model_rows limit 0" : sql;
        var layout = build.Model.Config.Layout;
        if (!dialect.LaysOutTables)
        {
            if (build.Model.Config.OrderBy is { Count: > 0 } || layout.LowCardinality.Count > 0)
            {
                Resolve(build, layout, await ColumnNamesAsync(session, query, cancellationToken));
            }

            await session.ExecuteAsync(dialect.CreateTableAs(dialect.Quote(table), query, ifNotExists: empty), null, cancellationToken);
            return;
        }

        var columns = await QueryColumnsAsync(session, dialect.QueryColumnsQuery(query), cancellationToken);
        layout = Resolve(build, layout, [.. columns.Select(c => c.Name)]);
        if (dialect.LayoutProblem(columns, layout) is { } problem)
        {
            throw new ModelException($"model '{build.Model.Name}' ({build.Model.File}): {problem}.");
        }

        await session.ExecuteAsync(dialect.CreateTableAs(dialect.Quote(table), query, columns, layout, ifNotExists: empty), null, cancellationToken);
    }

    // The layout with its names spelled as the query's columns are; a name no column has is the
    // project's mistake, told in one line.
    private static TableLayout Resolve(ModelBuild build, TableLayout layout, IReadOnlyList<string> columns)
    {
        string Column(string key, string name) =>
            columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ModelException(
                $"model '{build.Model.Name}' ({build.Model.File}): config '{key}' names column '{name}', which the model's query does not return; its columns are {string.Join(", ", columns)}.");

        return new TableLayout(
            layout.Partition is { } partition ? partition with { Column = Column("partition_by", partition.Column) } : null,
            [.. layout.OrderBy.Select(c => Column(build.Model.Config.OrderBy is null ? "partition_by" : "order_by", c))],
            [.. layout.LowCardinality.Select(c => Column("low_cardinality", c))]);
    }

    private static async Task<IReadOnlyList<string>> ColumnNamesAsync(IWarehouseSession session, string query, CancellationToken cancellationToken)
    {
        await using var reader = await session.QueryAsync($"select * from (\n{query}\n) as model_columns limit 0", null, cancellationToken);
        return [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)];
    }

    private static async Task<IReadOnlyList<(string Name, string Type)>> QueryColumnsAsync(IWarehouseSession session, string sql, CancellationToken cancellationToken)
    {
        var columns = new List<(string, string)>();
        await using var reader = await session.QueryAsync(sql, null, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }
}
