using System.Data.Common;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.Common;

/// <summary>
/// What every adapter's session shares: the atomic table swap and the partition replace are
/// built from the engine primitives each adapter supplies, steered by the capabilities.
/// </summary>
public abstract class WarehouseSession : IWarehouseSession
{
    /// <summary>Suffix of the table a replacement is built in before the swap.</summary>
    public const string BuildSuffix = "__sluice_new";

    /// <inheritdoc />
    public abstract IWarehouse Warehouse { get; }

    /// <inheritdoc />
    public abstract bool InTransaction { get; }

    /// <summary>The warehouse's dialect.</summary>
    protected ISqlDialect Dialect => Warehouse.Dialect;

    /// <inheritdoc />
    public abstract Task<string> GetEngineVersionAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract Task<int> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract Task<DbDataReader> QueryAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract Task<IWarehouseTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract Task<long> BulkLoadAsync(TableName table, IReadOnlyList<string> columns, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <inheritdoc />
    public async Task<object?> ScalarAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var reader = await QueryAsync(sql, parameters, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.FieldCount == 0)
        {
            return null;
        }

        return await reader.IsDBNullAsync(0, cancellationToken) ? null : reader.GetValue(0);
    }

    /// <inheritdoc />
    public virtual async Task<IReadOnlyList<string>> ListSchemasAsync(CancellationToken cancellationToken = default) =>
        await ReadStringsAsync(
            """
            select schema_name from information_schema.schemata
            where catalog_name = current_database()
              and schema_name not in ('information_schema', 'pg_catalog', 'pg_toast')
              and schema_name not like 'pg\_temp\_%' escape '\' and schema_name not like 'pg\_toast\_temp\_%' escape '\'
            order by schema_name
            """,
            [],
            cancellationToken);

    /// <inheritdoc />
    public virtual async Task<IReadOnlyList<TableName>> ListTablesAsync(string schema, CancellationToken cancellationToken = default)
    {
        var names = await ReadStringsAsync(
            """
            select table_name from information_schema.tables
            where table_catalog = current_database() and table_schema = $1 and table_type = 'BASE TABLE'
            order by table_name
            """,
            [Identifier.Validate(schema, "schema")],
            cancellationToken);
        return names.Where(Identifier.IsValid).Select(n => new TableName(schema, n)).ToList();
    }

    /// <inheritdoc />
    public virtual async Task<TableInfo?> DescribeTableAsync(TableName table, CancellationToken cancellationToken = default)
    {
        var columns = new List<ColumnSpec>();
        await using (var reader = await QueryAsync(
            """
            select column_name, data_type, is_nullable, numeric_precision, numeric_scale
            from information_schema.columns
            where table_catalog = current_database() and table_schema = $1 and table_name = $2
            order by ordinal_position
            """,
            [table.Schema, table.Name],
            cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var precision = reader.IsDBNull(3) ? (int?)null : Convert.ToInt32(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture);
                var scale = reader.IsDBNull(4) ? (int?)null : Convert.ToInt32(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture);
                var type = Dialect.ParseType(reader.GetString(1), precision, scale);
                columns.Add(new ColumnSpec(reader.GetString(0), type, reader.GetString(2) == "YES"));
            }
        }

        return columns.Count == 0 ? null : new TableInfo(table, columns);
    }

    /// <inheritdoc />
    public virtual async Task CreateSchemaAsync(string schema, CancellationToken cancellationToken = default)
    {
        Identifier.Validate(schema, "schema");
        if (await SchemaExistsAsync(schema, cancellationToken))
        {
            return;
        }

        try
        {
            await ExecuteAsync($"create schema if not exists {Dialect.Quote(schema)}", null, cancellationToken);
        }
        catch (WarehouseException)
        {
            // PostgreSQL's IF NOT EXISTS does not cover two sessions creating the schema at the
            // same moment: the loser gets a unique violation although the schema is there.
            if (InTransaction || !await SchemaExistsAsync(schema, cancellationToken))
            {
                throw;
            }
        }
    }

    private async Task<bool> SchemaExistsAsync(string schema, CancellationToken cancellationToken) =>
        await ScalarAsync("select 1 from information_schema.schemata where schema_name = $1", [schema], cancellationToken) is not null;

    /// <inheritdoc />
    public virtual Task CreateTableAsync(TableName table, IReadOnlyList<ColumnSpec> columns, CancellationToken cancellationToken = default) =>
        ExecuteAsync(CreateTableSql("table", table, columns), null, cancellationToken);

    /// <inheritdoc />
    public virtual Task CreateScratchTableAsync(TableName table, IReadOnlyList<ColumnSpec> columns, CancellationToken cancellationToken = default) =>
        CreateTableAsync(table, columns, cancellationToken);

    /// <inheritdoc />
    public virtual Task AddColumnAsync(TableName table, ColumnSpec column, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"alter table {Dialect.Quote(table)} add column {Dialect.Quote(column.Name)} {Dialect.TypeName(column.Type)}", null, cancellationToken);

    /// <inheritdoc />
    public virtual Task AlterColumnTypeAsync(TableName table, string column, ColumnType type, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            $"alter table {Dialect.Quote(table)} alter column {Dialect.Quote(Identifier.Validate(column, "column"))} type {Dialect.TypeName(type)}",
            null,
            cancellationToken);

    /// <inheritdoc />
    public virtual Task EnsureKeyIndexAsync(TableName table, IReadOnlyList<string> keyColumns, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    /// <inheritdoc />
    public virtual async Task<long> UpsertAsync(TableName target, TableName staging, IReadOnlyList<string> keyColumns, IReadOnlyList<string> columns, CancellationToken cancellationToken = default)
    {
        if (keyColumns.Count == 0)
        {
            throw new ArgumentException($"Merging into {target} needs at least one key column.", nameof(keyColumns));
        }

        // Delete-then-insert reads the same on every engine and, with unique non-null keys in the
        // staging table, is exactly an upsert; MERGE would add nothing but dialect differences.
        var match = string.Join(" and ", keyColumns.Select(k => $"t.{Dialect.Quote(k)} = s.{Dialect.Quote(k)}"));
        await ExecuteAsync($"delete from {Dialect.Quote(target)} as t using {Dialect.Quote(staging)} as s where {match}", null, cancellationToken);
        var list = string.Join(", ", columns.Select(Dialect.Quote));
        return await ExecuteAsync($"insert into {Dialect.Quote(target)} ({list}) select {list} from {Dialect.Quote(staging)}", null, cancellationToken);
    }

    /// <inheritdoc />
    public virtual Task DropTableAsync(TableName table, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"drop table if exists {Dialect.Quote(table)}", null, cancellationToken);

    /// <inheritdoc />
    public virtual async Task<long> ReplaceTableAsync(
        TableName table,
        IReadOnlyList<ColumnSpec> columns,
        IAsyncEnumerable<object?[]> rows,
        Func<IWarehouseSession, CancellationToken, Task>? alsoInTransaction = null,
        CancellationToken cancellationToken = default)
    {
        RequireNoTransaction(nameof(ReplaceTableAsync));
        var capabilities = Warehouse.Capabilities;
        if (!capabilities.Transactions || !capabilities.AtomicRename || !capabilities.TransactionalDdl)
        {
            throw new NotSupportedException($"The {Warehouse.Engine} adapter must provide its own table swap: the engine cannot rename tables inside a transaction.");
        }

        var building = table.WithSuffix(BuildSuffix);

        // A crash before the swap leaves only a stale build table, dropped here on the next run.
        await DropTableAsync(building, cancellationToken);
        await CreateTableAsync(building, columns, cancellationToken);
        try
        {
            var loaded = await BulkLoadAsync(building, columns.Select(c => c.Name).ToList(), rows, cancellationToken);

            // Dropping and renaming in one transaction: readers see the old table or the new one.
            // PostgreSQL refuses the drop while views depend on the table, which leaves both the
            // table and the views as they were rather than pointing the views at a retired copy.
            await using var transaction = await BeginTransactionAsync(cancellationToken);
            await ExecuteAsync($"drop table if exists {Dialect.Quote(table)}", null, cancellationToken);
            await ExecuteAsync($"alter table {Dialect.Quote(building)} rename to {Dialect.Quote(table.Name)}", null, cancellationToken);
            if (alsoInTransaction is not null)
            {
                await alsoInTransaction(this, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return loaded;
        }
        catch
        {
            await DropTableAsync(building, CancellationToken.None);
            throw;
        }
    }

    /// <inheritdoc />
    public virtual async Task<long> ReplacePartitionAsync(
        TableName table,
        PartitionRange range,
        IReadOnlyList<string> columns,
        IAsyncEnumerable<object?[]> rows,
        Func<IWarehouseSession, CancellationToken, Task>? alsoInTransaction = null,
        CancellationToken cancellationToken = default)
    {
        RequireNoTransaction(nameof(ReplacePartitionAsync));
        if (!Warehouse.Capabilities.PartitionReplace)
        {
            throw new NotSupportedException($"The {Warehouse.Engine} adapter must provide its own partition replace.");
        }

        var (kind, from, to) = await PartitionBoundsAsync(table, range, cancellationToken);

        await using var transaction = await BeginTransactionAsync(cancellationToken);
        var column = Dialect.Quote(range.Column);
        await ExecuteAsync($"delete from {Dialect.Quote(table)} where {column} >= $1 and {column} < $2", [from, to], cancellationToken);
        var loaded = await BulkLoadAsync(table, columns, WithinRange(rows, columns, range, from, to, kind), cancellationToken);
        if (alsoInTransaction is not null)
        {
            await alsoInTransaction(this, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return loaded;
    }

    /// <summary>
    /// The kind of the partition column and the range's bounds as values of that kind (a
    /// DateTime in a timestamptz column is an instant); an error when the table has no such column.
    /// </summary>
    protected async Task<(ColumnKind Kind, object From, object To)> PartitionBoundsAsync(TableName table, PartitionRange range, CancellationToken cancellationToken)
    {
        var kind = (await DescribeTableAsync(table, cancellationToken))?.Columns
            .FirstOrDefault(c => string.Equals(c.Name, range.Column, StringComparison.OrdinalIgnoreCase))?.Type.Kind
            ?? throw new ArgumentException($"Table {table} has no partition column '{range.Column}'.", nameof(range));
        return (kind, ColumnValues.ForColumn(range.From, kind), ColumnValues.ForColumn(range.To, kind));
    }

    /// <summary><c>create &lt;kind&gt; table (columns…)</c>, where kind is "table" or an engine's variant such as "unlogged table".</summary>
    protected string CreateTableSql(string kind, TableName table, IReadOnlyList<ColumnSpec> columns)
    {
        if (columns.Count == 0)
        {
            throw new ArgumentException($"Table {table} needs at least one column.", nameof(columns));
        }

        var definitions = columns.Select(c => $"{Dialect.Quote(c.Name)} {Dialect.TypeName(c.Type)}{(c.Nullable ? string.Empty : " not null")}");
        return $"create {kind} {Dialect.Quote(table)} ({string.Join(", ", definitions)})";
    }

    /// <summary>Reads the first column of every row as text.</summary>
    protected async Task<IReadOnlyList<string>> ReadStringsAsync(string sql, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var reader = await QueryAsync(sql, parameters, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>Throws when a transaction is open: the operation runs its own.</summary>
    protected void RequireNoTransaction(string operation)
    {
        if (InTransaction)
        {
            throw new InvalidOperationException($"{operation} runs its own transaction; call it outside one and pass extra work as alsoInTransaction.");
        }
    }

    /// <summary>
    /// A partition replace that let rows outside its range through would delete one partition
    /// and write into another; such a row is a bug upstream and stops the replace.
    /// </summary>
    protected static async IAsyncEnumerable<object?[]> WithinRange(
        IAsyncEnumerable<object?[]> rows,
        IReadOnlyList<string> columns,
        PartitionRange range,
        object from,
        object to,
        ColumnKind kind)
    {
        var index = -1;
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], range.Column, StringComparison.OrdinalIgnoreCase))
            {
                index = i;
            }
        }

        if (index < 0)
        {
            throw new ArgumentException($"The rows for partition {range} do not include the partition column '{range.Column}'.", nameof(columns));
        }

        await foreach (var row in rows)
        {
            var value = row[index] is null ? null : ColumnValues.ForColumn(row[index]!, kind) as IComparable;
            if (value is null || value.CompareTo(from) < 0 || value.CompareTo(to) >= 0)
            {
                throw new ArgumentException($"A row has {range.Column} = {row[index] ?? "NULL"}, outside partition {range}; nothing was replaced.");
            }

            yield return row;
        }
    }
}
