using System.Data.Common;
using Sluice.Core.Warehouse;
using Sluice.DuckDb;
using Sluice.Warehouses.Common;

namespace Sluice.Warehouses.DuckDb;

/// <summary>A session on the DuckDB warehouse: one DuckDB connection.</summary>
internal sealed class DuckDbWarehouseSession(DuckDbWarehouse warehouse, DuckDbConnection connection) : WarehouseSession
{
    private bool _inTransaction;

    public override IWarehouse Warehouse => warehouse;

    public override bool InTransaction => _inTransaction;

    public override Task<string> GetEngineVersionAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult($"DuckDB {DuckDbConnection.LibraryVersion}");

    public override async Task<int> ExecuteAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var command = CreateCommand(sql, parameters);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DuckDbException e)
        {
            throw DuckDbErrors.Translate(e);
        }
        finally
        {
            warehouse.Wrote();
        }
    }

    public override async Task<DbDataReader> QueryAsync(string sql, IReadOnlyList<object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        var command = CreateCommand(sql, parameters);
        try
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken);
            return new TranslatingDataReader<DuckDbException>(reader, e => DuckDbErrors.Translate(e));
        }
        catch (DuckDbException e)
        {
            throw DuckDbErrors.Translate(e);
        }
        finally
        {
            // The reader keeps what it needs; the command object holds nothing native.
            await command.DisposeAsync();
        }
    }

    public override Task<IWarehouseTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default)
    {
        var transaction = connection.BeginTransaction();
        _inTransaction = true;
        return Task.FromResult<IWarehouseTransaction>(new DuckDbWarehouseTransaction(transaction, () =>
        {
            _inTransaction = false;
            warehouse.Wrote();
        }));
    }

    // DuckDB's appender gathers about 200,000 rows before storing them, and its allocator keeps
    // the pages freed on the way; a load of wide rows then holds hundreds of megabytes for
    // nothing. Storing every 32,768 rows and releasing those pages keeps a load's memory small.
    private const int FlushRows = 32_768;

    public override async Task<long> BulkLoadAsync(TableName table, IReadOnlyList<string> columns, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        var info = await DescribeTableAsync(table, cancellationToken)
            ?? throw new Core.Project.WarehouseException($"Cannot load rows into {table}: the table does not exist.");

        // The appender fills every column in table order; map the caller's positions onto it.
        var positions = new int[info.Columns.Count];
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i] = IndexOf(columns, info.Columns[i].Name);
        }

        foreach (var name in columns)
        {
            if (!info.Columns.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new Core.Project.WarehouseException($"Cannot load rows into {table}: it has no column '{name}'.");
            }
        }

        // A load is all or nothing, as a COPY is: without a caller's transaction it runs in its own.
        await using var own = InTransaction ? null : await BeginTransactionAsync(cancellationToken);
        DuckDbAppender? appender = null;
        try
        {
            appender = connection.CreateAppender(table.Schema, table.Name);
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                appender.BeginRow();
                foreach (var position in positions)
                {
                    appender.AppendValue(position < 0 ? null : row[position]);
                }

                appender.EndRow();
                if (appender.RowCount % FlushRows == 0)
                {
                    appender.Flush();
                    DuckDbAllocator.ReleaseFreePages();
                }
            }

            appender.Close();
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            return appender.RowCount;
        }
        catch (DuckDbException e)
        {
            appender?.Abort();
            throw DuckDbErrors.Translate(e, $"loading rows into {table}");
        }
        catch
        {
            // Without this the appender's disposal would flush the rows of a failed load.
            appender?.Abort();
            throw;
        }
    }

    public override ValueTask DisposeAsync()
    {
        connection.Dispose();
        return ValueTask.CompletedTask;
    }

    private DuckDbCommand CreateCommand(string sql, IReadOnlyList<object?>? parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        if (parameters is not null)
        {
            foreach (var value in parameters)
            {
                command.Parameters.Add(new DuckDbParameter { Value = value });
            }
        }

        return command;
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
