using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Sluice.DuckDb.Data;
using Sluice.DuckDb.Native;

namespace Sluice.DuckDb;

/// <summary>
/// Streams a result chunk by chunk. Values are read straight from DuckDB's vectors; the typed
/// getters avoid boxing when the column has the matching type.
/// </summary>
public sealed class DuckDbDataReader : DbDataReader
{
    private readonly DuckDbConnection _connection;
    private readonly StatementRunner _runner;
    private readonly CancellationToken _cancellationToken;
    private readonly CancellationTokenSource? _timeout;
    private readonly CancellationTokenRegistration _interruptOnCancel;
    private ResultHandle? _result;
    private string[] _names = [];
    private DuckDbColumnType[] _types = [];
    private DataChunkHandle? _chunk;
    private Vector[] _vectors = [];
    private ulong _chunkSize;
    private ulong _row;
    private bool _exhausted = true;
    private bool _sawRows;
    private bool _firstRowPending;
    private int _recordsAffected = -1;
    private bool _closed;

    internal DuckDbDataReader(DuckDbConnection connection, StatementRunner runner, CancellationToken cancellationToken, CancellationTokenSource? timeout)
    {
        _connection = connection;
        _runner = runner;
        _cancellationToken = cancellationToken;
        _timeout = timeout;

        // Most of a streaming query's work happens while chunks are fetched, so cancellation
        // stays wired to the connection for as long as the reader is open.
        _interruptOnCancel = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static c => ((DuckDbConnection)c!).Interrupt(), connection)
            : default;
        connection.ActiveReader = this;
        try
        {
            MoveToNextResult();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override int FieldCount => _names.Length;

    /// <inheritdoc />
    public override bool HasRows
    {
        get
        {
            // Streaming results do not know their size; peek at the first chunk and keep its
            // first row for the next Read().
            if (!_sawRows && !_exhausted && _chunk is null && FetchChunk())
            {
                _firstRowPending = true;
            }

            return _sawRows;
        }
    }

    /// <inheritdoc />
    public override bool IsClosed => _closed;

    /// <inheritdoc />
    public override int RecordsAffected => _recordsAffected;

    /// <inheritdoc />
    public override int Depth => 0;

    /// <inheritdoc />
    public override object this[int ordinal] => GetValue(ordinal);

    /// <inheritdoc />
    public override object this[string name] => GetValue(GetOrdinal(name));

    /// <summary>The DuckDB type of a column.</summary>
    public DuckDbColumnType GetColumnType(int ordinal) => _types[ordinal];

    /// <inheritdoc />
    public override bool Read()
    {
        if (_firstRowPending)
        {
            _firstRowPending = false;
            return true;
        }

        if (_exhausted)
        {
            return false;
        }

        if (++_row < _chunkSize)
        {
            return true;
        }

        return FetchChunk();
    }

    /// <inheritdoc />
    public override bool NextResult()
    {
        CloseResult();
        return MoveToNextResult();
    }

    /// <inheritdoc />
    public override string GetName(int ordinal) => _names[ordinal];

    /// <inheritdoc />
    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new IndexOutOfRangeException($"The result has no column named '{name}'; it has: {string.Join(", ", _names)}.");
    }

    /// <inheritdoc />
    public override string GetDataTypeName(int ordinal) => _types[ordinal].SqlName;

    /// <inheritdoc />
    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.PublicProperties)]
    public override Type GetFieldType(int ordinal) => _types[ordinal].ClrType;

    /// <inheritdoc />
    public override bool IsDBNull(int ordinal) => !Current(ordinal).IsValid(_row);

    /// <inheritdoc />
    public override object GetValue(int ordinal)
    {
        ref readonly var vector = ref Current(ordinal);
        return vector.IsValid(_row) ? Convert(vector, ordinal) : DBNull.Value;
    }

    /// <inheritdoc />
    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    /// <inheritdoc />
    public override bool GetBoolean(int ordinal) => Get<byte>(ordinal, DuckDbType.Boolean, out var v) ? v != 0 : GetConverted<bool>(ordinal);

    /// <inheritdoc />
    public override byte GetByte(int ordinal) => Get<byte>(ordinal, DuckDbType.UTinyInt, out var v) ? v : GetConverted<byte>(ordinal);

    /// <inheritdoc />
    public override short GetInt16(int ordinal) => Get<short>(ordinal, DuckDbType.SmallInt, out var v) ? v : GetConverted<short>(ordinal);

    /// <inheritdoc />
    public override int GetInt32(int ordinal) => Get<int>(ordinal, DuckDbType.Integer, out var v) ? v : GetConverted<int>(ordinal);

    /// <inheritdoc />
    public override long GetInt64(int ordinal) => Get<long>(ordinal, DuckDbType.BigInt, out var v) ? v : GetConverted<long>(ordinal);

    /// <inheritdoc />
    public override float GetFloat(int ordinal) => Get<float>(ordinal, DuckDbType.Float, out var v) ? v : GetConverted<float>(ordinal);

    /// <inheritdoc />
    public override double GetDouble(int ordinal) => Get<double>(ordinal, DuckDbType.Double, out var v) ? v : GetConverted<double>(ordinal);

    /// <inheritdoc />
    public override decimal GetDecimal(int ordinal) => GetConverted<decimal>(ordinal);

    /// <inheritdoc />
    public override DateTime GetDateTime(int ordinal) => GetConverted<DateTime>(ordinal);

    /// <inheritdoc />
    public override Guid GetGuid(int ordinal) => GetConverted<Guid>(ordinal);

    /// <inheritdoc />
    public override char GetChar(int ordinal) => GetString(ordinal)[0];

    /// <inheritdoc />
    public override string GetString(int ordinal)
    {
        ref readonly var vector = ref Current(ordinal);
        if (!vector.IsValid(_row))
        {
            ThrowNull(ordinal);
        }

        return vector.Type.Type == DuckDbType.Varchar ? VectorReader.ReadString(vector, _row) : VectorReader.ReadText(vector, _row);
    }

    /// <inheritdoc />
    public override T GetFieldValue<T>(int ordinal) => GetConverted<T>(ordinal);

    /// <inheritdoc />
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = GetConverted<byte[]>(ordinal);
        if (buffer is null)
        {
            return bytes.Length;
        }

        var count = (int)Math.Max(0, Math.Min(length, bytes.Length - dataOffset));
        Array.Copy(bytes, dataOffset, buffer, bufferOffset, count);
        return count;
    }

    /// <inheritdoc />
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetString(ordinal);
        if (buffer is null)
        {
            return text.Length;
        }

        var count = (int)Math.Max(0, Math.Min(length, text.Length - dataOffset));
        text.CopyTo((int)dataOffset, buffer, bufferOffset, count);
        return count;
    }

    /// <inheritdoc />
    public override DataTable GetSchemaTable()
    {
        var table = new DataTable("SchemaTable");
        table.Columns.Add(SchemaTableColumn.ColumnName, typeof(string));
        table.Columns.Add(SchemaTableColumn.ColumnOrdinal, typeof(int));
        table.Columns.Add(SchemaTableColumn.ColumnSize, typeof(int));
        table.Columns.Add(SchemaTableColumn.DataType, typeof(Type));
        table.Columns.Add("DataTypeName", typeof(string));
        table.Columns.Add(SchemaTableColumn.AllowDBNull, typeof(bool));
        table.Columns.Add(SchemaTableColumn.NumericPrecision, typeof(int));
        table.Columns.Add(SchemaTableColumn.NumericScale, typeof(int));
        for (var i = 0; i < _names.Length; i++)
        {
            var type = _types[i];
            table.Rows.Add(_names[i], i, -1, type.ClrType, type.SqlName, true, (int)type.DecimalWidth, (int)type.DecimalScale);
        }

        return table;
    }

    /// <inheritdoc />
    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    /// <inheritdoc />
    public override void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _interruptOnCancel.Dispose();
        _timeout?.Dispose();
        CloseResult();
        _runner.Dispose();
        if (ReferenceEquals(_connection.ActiveReader, this))
        {
            _connection.ActiveReader = null;
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref readonly Vector Current(int ordinal)
    {
        if (_chunk is null)
        {
            ThrowNoRow();
        }

        return ref _vectors[ordinal];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Get<T>(int ordinal, DuckDbType type, out T value) where T : unmanaged
    {
        ref readonly var vector = ref Current(ordinal);
        if (vector.Type.Type != type)
        {
            value = default;
            return false;
        }

        if (!vector.IsValid(_row))
        {
            ThrowNull(ordinal);
        }

        value = vector.Read<T>(_row);
        return true;
    }

    private T GetConverted<T>(int ordinal)
    {
        ref readonly var vector = ref Current(ordinal);
        if (!vector.IsValid(_row))
        {
            if (default(T) is null && (typeof(T) == typeof(object) || Nullable.GetUnderlyingType(typeof(T)) is not null))
            {
                return default!;
            }

            ThrowNull(ordinal);
        }

        var value = Convert(vector, ordinal);
        try
        {
            return ValueConverter.To<T>(value);
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or FormatException)
        {
            throw new InvalidCastException(
                $"Column '{_names[ordinal]}' ({_types[ordinal].SqlName}) value '{value}' cannot be read as {typeof(T).Name}: {e.Message}", e);
        }
    }

    private object Convert(in Vector vector, int ordinal)
    {
        try
        {
            return VectorReader.ReadValue(vector, _row);
        }
        catch (OverflowException e)
        {
            throw new InvalidCastException($"Column '{_names[ordinal]}': {e.Message}", e);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidCastException(
                $"Column '{_names[ordinal]}' ({_types[ordinal].SqlName}) holds a value outside the range of {_types[ordinal].ClrType.Name}; read it with GetString.", e);
        }
    }

    private unsafe bool MoveToNextResult()
    {
        while (_runner.HasNext)
        {
            var result = _runner.ExecuteNext(_cancellationToken);
            var returnType = NativeMethods.duckdb_result_return_type(*result.Pointer);
            if (returnType != DuckDbResultType.QueryResult)
            {
                // DDL and other statements without a row count leave RecordsAffected at -1, as
                // ADO.NET providers do.
                if (returnType == DuckDbResultType.ChangedRows)
                {
                    var changed = (int)NativeMethods.duckdb_rows_changed(result.Pointer);
                    _recordsAffected = _recordsAffected < 0 ? changed : _recordsAffected + changed;
                }

                result.Dispose();
                continue;
            }

            _result = result;
            var columns = (int)NativeMethods.duckdb_column_count(result.Pointer);
            _names = new string[columns];
            _types = new DuckDbColumnType[columns];
            _vectors = new Vector[columns];
            for (var i = 0; i < columns; i++)
            {
                _names[i] = NativeMethods.duckdb_column_name(result.Pointer, (ulong)i) ?? $"column{i}";
                using var type = NativeMethods.duckdb_column_logical_type(result.Pointer, (ulong)i);
                _types[i] = DuckDbColumnType.From(type);
            }

            _exhausted = false;
            _sawRows = false;
            _firstRowPending = false;
            _chunkSize = 0;
            _row = 0;
            return true;
        }

        return false;
    }

    private unsafe bool FetchChunk()
    {
        while (true)
        {
            _chunk?.Dispose();
            _chunk = null;
            var chunk = NativeMethods.duckdb_fetch_chunk(*_result!.Pointer);
            if (chunk == 0)
            {
                _exhausted = true;
                if (NativeMethods.duckdb_result_error(_result.Pointer) is { } error)
                {
                    _connection.Transaction?.MarkFailed(error);
                    throw ResultErrors.From(_result, _cancellationToken);
                }

                return false;
            }

            _chunk = new DataChunkHandle(chunk);
            _chunkSize = NativeMethods.duckdb_data_chunk_get_size(chunk);
            if (_chunkSize == 0)
            {
                continue;
            }

            _sawRows = true;
            for (var i = 0; i < _vectors.Length; i++)
            {
                _vectors[i] = new Vector(NativeMethods.duckdb_data_chunk_get_vector(chunk, (ulong)i), _types[i]);
            }

            _row = 0;
            return true;
        }
    }

    private void CloseResult()
    {
        _chunk?.Dispose();
        _chunk = null;
        _result?.Dispose();
        _result = null;
        _exhausted = true;
    }

    [DoesNotReturn]
    private void ThrowNull(int ordinal) =>
        throw new InvalidCastException($"Column '{_names[ordinal]}' is NULL in this row; check IsDBNull first or read it as a nullable type.");

    [DoesNotReturn]
    private static void ThrowNoRow() =>
        throw new InvalidOperationException("No current row: call Read() and check that it returned true before reading values.");
}
