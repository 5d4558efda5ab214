using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.DuckDb;
using Sluice.Warehouses.Common;

namespace Sluice.Warehouses.Postgres;

/// <summary>A session on the PostgreSQL warehouse: one pooled Npgsql connection.</summary>
internal sealed class PostgresWarehouseSession(PostgresWarehouse warehouse, NpgsqlConnection connection) : WarehouseSession
{
    private NpgsqlTransaction? _transaction;

    public override IWarehouse Warehouse => warehouse;

    public override bool InTransaction => _transaction is not null;

    public override Task<string> GetEngineVersionAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult($"PostgreSQL {connection.PostgreSqlVersion}");

    public override async Task<int> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var command = CreateCommand(sql, parameters);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw warehouse.Translate(e);
        }
    }

    public override async Task<DbDataReader> QueryAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        var command = CreateCommand(sql, parameters);
        try
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken);
            return new TranslatingDataReader<NpgsqlException>(reader, e => warehouse.Translate(e), dateTypeName: "date");
        }
        catch (NpgsqlException e)
        {
            throw warehouse.Translate(e);
        }
    }

    public override async Task<IWarehouseTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            _transaction = await connection.BeginTransactionAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw warehouse.Translate(e, "beginning a transaction");
        }

        return new PostgresWarehouseTransaction(warehouse, _transaction, () => _transaction = null);
    }

    public override async Task<long> BulkLoadAsync(TableName table, IReadOnlyList<string> columns, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        var info = await DescribeTableAsync(table, cancellationToken)
            ?? throw new WarehouseException($"Cannot load rows into {table}: the table does not exist.");
        var types = new ColumnType[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var name = columns[i];
            types[i] = info.Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))?.Type
                ?? throw new WarehouseException($"Cannot load rows into {table}: it has no column '{name}'.");
        }

        var dialect = warehouse.Dialect;
        var copy = $"copy {dialect.Quote(table)} ({string.Join(", ", columns.Select(dialect.Quote))}) from stdin (format binary)";
        try
        {
            await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                await importer.StartRowAsync(cancellationToken);
                for (var i = 0; i < types.Length; i++)
                {
                    var value = row[i];
                    if (value is null or DBNull)
                    {
                        await importer.WriteNullAsync(cancellationToken);
                    }
                    else
                    {
                        await importer.WriteAsync(CopyValue(value, types[i]), DbTypeOf(types[i]), cancellationToken);
                    }
                }
            }

            return (long)await importer.CompleteAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw warehouse.Translate(e, $"loading rows into {table}");
        }
        catch (InvalidCastException e)
        {
            throw new WarehouseException($"Cannot load rows into {table}: {e.Message}", e);
        }
    }

    // Staging rows live for one transaction; writing them to the WAL would only slow loads.
    public override Task CreateScratchTableAsync(TableName table, IReadOnlyList<ColumnSpec> columns, CancellationToken cancellationToken = default) =>
        ExecuteAsync(CreateTableSql("unlogged table", table, columns), null, cancellationToken);

    public override Task EnsureKeyIndexAsync(TableName table, IReadOnlyList<string> keyColumns, CancellationToken cancellationToken = default)
    {
        // Without an index every merge would scan the whole table to find the rows it replaces.
        var dialect = warehouse.Dialect;
        var index = dialect.Quote(Identifier.Validate(table.Name.Length <= Identifier.MaxLength - 5 ? table.Name + "__key" : table.Name[..(Identifier.MaxLength - 5)] + "__key", "index"));
        return ExecuteAsync(
            $"create unique index if not exists {index} on {dialect.Quote(table)} ({string.Join(", ", keyColumns.Select(dialect.Quote))})",
            null,
            cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }

        await connection.DisposeAsync();
    }

    private NpgsqlCommand CreateCommand(string sql, IReadOnlyList<object?>? parameters)
    {
        var command = new NpgsqlCommand(sql, connection, _transaction);
        if (parameters is not null)
        {
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = ParameterValue(value) });
            }
        }

        return command;
    }

    private static object ParameterValue(object? value) => value switch
    {
        null => DBNull.Value,
        DuckDbInterval i => new NpgsqlInterval(i.Months, i.Days, i.Micros),
        Int128 h => (decimal)h,
        _ => value,
    };

    /// <summary>Binary COPY is strict about CLR types; bring common near-misses into line.</summary>
    private static object CopyValue(object value, ColumnType type) => (type.Kind, value) switch
    {
        (ColumnKind.TimestampTz or ColumnKind.Timestamp, DateTime or DateTimeOffset) => ColumnValues.ForColumn(value, type.Kind),
        (ColumnKind.Date, DateTime t) => DateOnly.FromDateTime(t),
        (ColumnKind.Time, TimeSpan t) => TimeOnly.FromTimeSpan(t),
        (ColumnKind.Interval, DuckDbInterval i) => new NpgsqlInterval(i.Months, i.Days, i.Micros),
        (ColumnKind.Decimal, Int128 h) => (decimal)h,
        (ColumnKind.Decimal, _) when value is not decimal => Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture),
        (ColumnKind.BigInt, _) when value is not long => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        (ColumnKind.Integer, _) when value is not int => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
        (ColumnKind.SmallInt, _) when value is not short => Convert.ToInt16(value, System.Globalization.CultureInfo.InvariantCulture),
        (ColumnKind.Double, _) when value is not double => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        (ColumnKind.Real, _) when value is not float => Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture),
        (ColumnKind.Uuid, string s) => Guid.Parse(s),
        (ColumnKind.Text or ColumnKind.Json, _) when value is not string => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        _ => value,
    };

    private static NpgsqlDbType DbTypeOf(ColumnType type) => type.Kind switch
    {
        ColumnKind.Boolean => NpgsqlDbType.Boolean,
        ColumnKind.SmallInt => NpgsqlDbType.Smallint,
        ColumnKind.Integer => NpgsqlDbType.Integer,
        ColumnKind.BigInt => NpgsqlDbType.Bigint,
        ColumnKind.Real => NpgsqlDbType.Real,
        ColumnKind.Double => NpgsqlDbType.Double,
        ColumnKind.Decimal => NpgsqlDbType.Numeric,
        ColumnKind.Text => NpgsqlDbType.Text,
        ColumnKind.Binary => NpgsqlDbType.Bytea,
        ColumnKind.Date => NpgsqlDbType.Date,
        ColumnKind.Time => NpgsqlDbType.Time,
        ColumnKind.Timestamp => NpgsqlDbType.Timestamp,
        ColumnKind.TimestampTz => NpgsqlDbType.TimestampTz,
        ColumnKind.Interval => NpgsqlDbType.Interval,
        ColumnKind.Uuid => NpgsqlDbType.Uuid,
        ColumnKind.Json => NpgsqlDbType.Jsonb,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column kind."),
    };
}
