using Sluice.Core.Project;
using Sluice.Core.Warehouse;

namespace Sluice.Models.Materialize;

/// <summary>What a name in the warehouse currently is.</summary>
public enum RelationKind
{
    /// <summary>Nothing by that name.</summary>
    None,

    /// <summary>A table.</summary>
    Table,

    /// <summary>A view.</summary>
    View,
}

/// <summary>A column as the engine's catalog reports it.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="DataType">The engine's type name, usable in ALTER TABLE … ADD COLUMN.</param>
public sealed record RelationColumn(string Name, string DataType);

/// <summary>Catalog lookups and DDL, spelled by the warehouse's dialect.</summary>
public static class Relations
{
    /// <summary>What <paramref name="table"/> is now.</summary>
    public static async Task<RelationKind> KindAsync(IWarehouseSession session, TableName table, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var type = await session.ScalarAsync(
                    $"select kind from ({session.Warehouse.Dialect.RelationsQuery}) as relations where name = $2",
                    [table.Schema, table.Name],
                    cancellationToken);
                return type is string name ? KindOf(name) : RelationKind.None;
            }
            catch (WarehouseException) when (attempt < 3)
            {
                // ClickHouse 18.16 looks each table of the schema up as it reads system.tables,
                // and fails the read when another build drops or renames one of its scratch
                // tables meanwhile; the next read does not see that table.
            }
        }
    }

    /// <summary>The kind a catalog's <c>table_type</c> names.</summary>
    public static RelationKind KindOf(string tableType) =>
        tableType.Contains("VIEW", StringComparison.OrdinalIgnoreCase) ? RelationKind.View : RelationKind.Table;

    /// <summary>The columns of a table or view, in order.</summary>
    public static async Task<IReadOnlyList<RelationColumn>> ColumnsAsync(IWarehouseSession session, TableName table, CancellationToken cancellationToken)
    {
        var columns = new List<RelationColumn>();
        await using var reader = await session.QueryAsync(session.Warehouse.Dialect.ColumnsQuery, [table.Schema, table.Name], cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(new RelationColumn(reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    /// <summary>The column names of a table or view, in order, from the engine's binder rather than its catalog.</summary>
    public static async Task<IReadOnlyList<string>> ColumnNamesAsync(IWarehouseSession session, TableName table, CancellationToken cancellationToken)
    {
        await using var reader = await session.QueryAsync($"select * from {session.Warehouse.Dialect.Quote(table)} limit 0", null, cancellationToken);
        return [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)];
    }

    /// <summary>Drops whatever <paramref name="table"/> is, with what depends on it (as dbt does).</summary>
    public static async Task DropAsync(IWarehouseSession session, TableName table, CancellationToken cancellationToken) =>
        await DropAsync(session, table, await KindAsync(session, table, cancellationToken), cancellationToken);

    /// <summary>Drops <paramref name="table"/>, known to be of <paramref name="kind"/>, with what depends on it.</summary>
    public static async Task DropAsync(IWarehouseSession session, TableName table, RelationKind kind, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case RelationKind.Table or RelationKind.View:
                var dialect = session.Warehouse.Dialect;
                await session.ExecuteAsync(dialect.DropRelation(dialect.Quote(table), view: kind == RelationKind.View), null, cancellationToken);
                break;
        }
    }

    /// <summary>Drops a table of Sluice's own (scratch, staging) if it is there; no catalog lookup.</summary>
    public static Task DropOwnTableAsync(IWarehouseSession session, TableName table, CancellationToken cancellationToken) =>
        session.ExecuteAsync(session.Warehouse.Dialect.DropRelation(session.Warehouse.Dialect.Quote(table), view: false, ifExists: true), null, cancellationToken);

    /// <summary>A name next to <paramref name="table"/> for a build step (<c>orders__sluice_new</c>), cut to fit.</summary>
    public static TableName Beside(TableName table, string suffix)
    {
        var name = table.Name.Length + suffix.Length <= Identifier.MaxLength
            ? table.Name + suffix
            : table.Name[..(Identifier.MaxLength - suffix.Length)] + suffix;
        return new TableName(table.Schema, name);
    }

    /// <summary>A column list, quoted as the engine quotes identifiers.</summary>
    public static string ColumnList(ISqlDialect dialect, IEnumerable<string> columns) => string.Join(", ", columns.Select(dialect.Quote));

    /// <summary>How many values of <paramref name="keyColumns"/> appear more than once in <paramref name="table"/>.</summary>
    public static async Task<long> DuplicateKeysAsync(IWarehouseSession session, TableName table, IReadOnlyList<string> keyColumns, CancellationToken cancellationToken)
    {
        var keys = ColumnList(session.Warehouse.Dialect, keyColumns);
        return Convert.ToInt64(
            await session.ScalarAsync($"select count(*) from (select {keys} from {session.Warehouse.Dialect.Quote(table)} group by {keys} having count(*) > 1) as duplicates", null, cancellationToken),
            System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Counts a table's rows, or those <paramref name="where"/> holds for.</summary>
    public static async Task<long> CountAsync(IWarehouseSession session, TableName table, CancellationToken cancellationToken, string? where = null) =>
        Convert.ToInt64(
            await session.ScalarAsync($"select count(*) from {session.Warehouse.Dialect.Quote(table)}{(where is null ? "" : $" where {where}")}", null, cancellationToken),
            System.Globalization.CultureInfo.InvariantCulture);
}
