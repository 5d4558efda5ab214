using Sluice.DuckDb.Data;
using Sluice.DuckDb.Native;

namespace Sluice.DuckDb;

/// <summary>
/// Bulk-inserts rows into one table. Rows are written straight into a DuckDB data chunk, which
/// is handed to <c>duckdb_append_data_chunk</c> whenever it fills up: one native call per
/// 2048 rows rather than one per value. Dispose (or <see cref="Close"/>) flushes what is left.
/// </summary>
/// <example>
/// <code>
/// using var appender = connection.CreateAppender("main", "events");
/// appender.BeginRow().Append(1L).Append(2.5).Append("x").EndRow();
/// </code>
/// </example>
public sealed class DuckDbAppender : IDisposable
{
    private readonly AppenderHandle _appender;
    private readonly VectorWriter[] _columns;
    private readonly DataChunkHandle _chunk;
    private readonly ulong _capacity;
    private readonly string _table;
    private ulong _row;
    private int _column;
    private bool _closed;

    internal DuckDbAppender(DuckDbConnection connection, string? schema, string table)
    {
        _table = schema is null ? table : $"{schema}.{table}";
        if (NativeMethods.duckdb_appender_create_ext(connection.Handle, null, schema, table, out _appender) != DuckDbState.Success)
        {
            var error = ErrorOf(_appender);
            _appender.Dispose();
            throw new DuckDbException($"Cannot append to {_table}: {error.Message}", error.ErrorType);
        }

        var count = (int)NativeMethods.duckdb_appender_column_count(_appender);
        _columns = new VectorWriter[count];
        var types = new LogicalTypeHandle[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                types[i] = NativeMethods.duckdb_appender_column_type(_appender, (ulong)i);
                _columns[i] = new VectorWriter($"{_table} column {i + 1}", DuckDbColumnType.From(types[i]));
            }

            _chunk = CreateChunk(types);
        }
        finally
        {
            foreach (var type in types)
            {
                type?.Dispose();
            }
        }

        _capacity = NativeMethods.duckdb_vector_size();
        AttachVectors();
    }

    /// <summary>The table's column count: every row must supply exactly this many values.</summary>
    public int ColumnCount => _columns.Length;

    /// <summary>Rows appended so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Starts a row.</summary>
    public DuckDbAppender BeginRow()
    {
        EnsureOpen();
        if (_column != 0)
        {
            // A row abandoned part-way (a value failed to convert) may have marked columns NULL.
            foreach (var column in _columns)
            {
                column.ClearNull(_row);
            }
        }

        _column = 0;
        return this;
    }

    /// <summary>Appends a BIGINT-like value to the current row.</summary>
    public DuckDbAppender Append(long value)
    {
        NextColumn().WriteInt64(_row, value);
        return this;
    }

    /// <summary>Appends a DOUBLE-like value to the current row.</summary>
    public DuckDbAppender Append(double value)
    {
        NextColumn().WriteDouble(_row, value);
        return this;
    }

    /// <summary>Appends a VARCHAR value (or NULL) to the current row.</summary>
    public DuckDbAppender Append(string? value)
    {
        var column = NextColumn();
        if (value is null)
        {
            column.WriteNull(_row);
        }
        else
        {
            column.WriteString(_row, value);
        }

        return this;
    }

    /// <summary>Appends any supported value, converted to the column's type; null is NULL.</summary>
    public DuckDbAppender AppendValue(object? value)
    {
        NextColumn().Write(_row, value);
        return this;
    }

    /// <summary>Appends NULL to the current row.</summary>
    public DuckDbAppender AppendNull()
    {
        NextColumn().WriteNull(_row);
        return this;
    }

    /// <summary>Finishes the row; a full chunk is sent to DuckDB.</summary>
    public void EndRow()
    {
        if (_column != _columns.Length)
        {
            throw new InvalidOperationException($"A row of {_table} needs {_columns.Length} values, but {_column} were appended.");
        }

        _row++;
        _column = 0;
        RowCount++;
        if (_row == _capacity)
        {
            SendChunk();
        }
    }

    /// <summary>Appends a whole row of values.</summary>
    public void AppendRow(params ReadOnlySpan<object?> values)
    {
        BeginRow();
        foreach (var value in values)
        {
            AppendValue(value);
        }

        EndRow();
    }

    /// <summary>Sends buffered rows to DuckDB and flushes the appender.</summary>
    public void Flush()
    {
        EnsureOpen();
        SendChunk();
        if (NativeMethods.duckdb_appender_flush(_appender) != DuckDbState.Success)
        {
            ThrowAppenderError("flush");
        }
    }

    /// <summary>Flushes and closes; errors (such as constraint violations) surface here.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        try
        {
            SendChunk();
            if (NativeMethods.duckdb_appender_close(_appender) != DuckDbState.Success)
            {
                ThrowAppenderError("close");
            }
        }
        finally
        {
            _closed = true;
            _chunk.Dispose();
            _appender.Dispose();
        }
    }

    /// <summary>
    /// Discards the rows not yet sent to DuckDB and closes without flushing, for a load that
    /// failed. Rows already sent stay in the open transaction, so a load that must be all or
    /// nothing runs inside one and rolls it back.
    /// </summary>
    public void Abort()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _row = 0;
        NativeMethods.duckdb_appender_clear(_appender);
        _chunk.Dispose();
        _appender.Dispose();
    }

    /// <summary>Closes the appender, flushing buffered rows.</summary>
    public void Dispose() => Close();

    private VectorWriter NextColumn()
    {
        if (_column >= _columns.Length)
        {
            throw new InvalidOperationException($"{_table} has {_columns.Length} columns; the row already has a value for each. Call EndRow().");
        }

        return _columns[_column++];
    }

    private void SendChunk()
    {
        if (_row == 0)
        {
            return;
        }

        var chunk = _chunk.DangerousGetHandle();
        NativeMethods.duckdb_data_chunk_set_size(chunk, _row);
        var state = NativeMethods.duckdb_append_data_chunk(_appender, chunk);
        NativeMethods.duckdb_data_chunk_reset(chunk);
        _row = 0;
        AttachVectors();
        if (state != DuckDbState.Success)
        {
            ThrowAppenderError("append to");
        }
    }

    private void AttachVectors()
    {
        var chunk = _chunk.DangerousGetHandle();
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Attach(NativeMethods.duckdb_data_chunk_get_vector(chunk, (ulong)i));
        }
    }

    private void EnsureOpen()
    {
        if (_closed)
        {
            throw new ObjectDisposedException(nameof(DuckDbAppender), $"The appender for {_table} is closed.");
        }
    }

    private void ThrowAppenderError(string action)
    {
        var error = ErrorOf(_appender);
        throw new DuckDbException($"Could not {action} {_table}: {error.Message}", error.ErrorType);
    }

    private static (string Message, DuckDbErrorType ErrorType) ErrorOf(AppenderHandle appender)
    {
        if (appender.IsInvalid)
        {
            return ("the table does not exist or cannot be appended to", DuckDbErrorType.Catalog);
        }

        using var error = NativeMethods.duckdb_appender_error_data(appender);
        if (error.IsInvalid || !NativeMethods.duckdb_error_data_has_error(error))
        {
            return ("unknown error", DuckDbErrorType.Invalid);
        }

        return (NativeMethods.duckdb_error_data_message(error) ?? "unknown error", NativeMethods.duckdb_error_data_error_type(error));
    }

    private static unsafe DataChunkHandle CreateChunk(LogicalTypeHandle[] types)
    {
        var raw = stackalloc nint[types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            raw[i] = types[i].DangerousGetHandle();
        }

        return new DataChunkHandle(NativeMethods.duckdb_create_data_chunk(raw, (ulong)types.Length));
    }
}
