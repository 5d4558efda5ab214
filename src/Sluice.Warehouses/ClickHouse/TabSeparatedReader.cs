using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Sluice.Core.Project;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// Streams the rows of a ClickHouse reply in TabSeparatedWithNamesAndTypes: a line of names, a
/// line of types, then one line per row with <c>\t</c>, <c>\n</c> and <c>\\</c> escaped and
/// <c>\N</c> for NULL. Values are kept as the bytes the server sent until asked for, then read
/// by their ClickHouse type (dates as <see cref="DateOnly"/>, DateTime as UTC
/// <see cref="DateTime"/>, Decimal as <see cref="decimal"/>, UUID as <see cref="Guid"/>).
/// </summary>
internal sealed class TabSeparatedReader : DbDataReader
{
    private const int BufferSize = 1 << 16;

    private readonly HttpResponseMessage _response;
    private readonly Stream _stream;
    private readonly Action? _onClose;
    private readonly TimeZoneInfo _serverTimeZone;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly List<byte> _field = [];
    private int _position;
    private int _length;
    private bool _ended;
    private bool _closed;
    private string[] _names = [];
    private string[] _types = [];
    private byte[]?[] _row = [];
    private bool _hasRow;
    private bool? _hasRows;

    private TabSeparatedReader(HttpResponseMessage response, Stream stream, Action? onClose, TimeZoneInfo serverTimeZone)
    {
        _response = response;
        _stream = stream;
        _onClose = onClose;
        _serverTimeZone = serverTimeZone;
    }

    /// <summary>
    /// Reads the header lines of a reply and returns a reader positioned before its first row; the
    /// reader owns the reply. A DateTime without a time zone of its own is in <paramref name="serverTimeZone"/>.
    /// </summary>
    public static async Task<TabSeparatedReader> OpenAsync(HttpResponseMessage response, Action? onClose, TimeZoneInfo serverTimeZone, CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        }
        catch
        {
            response.Dispose();
            onClose?.Invoke();
            throw;
        }

        var reader = new TabSeparatedReader(response, stream, onClose, serverTimeZone);
        try
        {
            var names = await reader.ReadLineAsync(cancellationToken);
            var types = await reader.ReadLineAsync(cancellationToken);
            if (names is null || types is null)
            {
                // A statement that returns no result set (DDL, INSERT) sends nothing at all.
                reader._names = [];
                reader._types = [];
                reader._hasRows = false;
            }
            else
            {
                reader._names = [.. names.Select(Text)];
                reader._types = [.. types.Select(Text)];
                if (reader._names.Length != reader._types.Length)
                {
                    throw new WarehouseException($"ClickHouse sent {reader._names.Length} column names but {reader._types.Length} types.");
                }
            }

            return reader;
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    /// <summary>The ClickHouse type of a column, as the server named it.</summary>
    public string ClickHouseType(int ordinal) => _types[ordinal];

    public override int FieldCount => _names.Length;

    public override bool HasRows => _hasRows ?? true;

    public override bool IsClosed => _closed;

    public override int RecordsAffected => -1;

    public override int Depth => 0;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read() => ReadAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (_closed)
        {
            return false;
        }

        var fields = await ReadLineAsync(cancellationToken);
        if (fields is null)
        {
            _hasRow = false;
            _hasRows ??= false;
            return false;
        }

        if (fields.Count != _names.Length)
        {
            throw new WarehouseException($"ClickHouse sent a row of {fields.Count} values for {_names.Length} columns; the reply was cut short or malformed.");
        }

        _row = [.. fields];
        _hasRow = true;
        _hasRows = true;
        return true;
    }

    public override bool NextResult() => false;

    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    public override string GetName(int ordinal) => _names[ordinal];

    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new IndexOutOfRangeException($"The result has no column '{name}'.");
    }

    public override string GetDataTypeName(int ordinal) => _types[ordinal];

    public override Type GetFieldType(int ordinal) => ClrType(ClickHouseDialect.Unwrap(_types[ordinal]));

    public override bool IsDBNull(int ordinal) => Raw(ordinal) is null;

    public override object GetValue(int ordinal) => Raw(ordinal) is { } raw ? Convert(raw, ClickHouseDialect.Unwrap(_types[ordinal]), _serverTimeZone) : DBNull.Value;

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override bool GetBoolean(int ordinal) => GetValue(ordinal) switch
    {
        bool b => b,
        string s => s is "1" or "true",
        var v => System.Convert.ToInt64(v, CultureInfo.InvariantCulture) != 0,
    };

    public override byte GetByte(int ordinal) => System.Convert.ToByte(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var raw = Raw(ordinal) ?? throw new InvalidCastException($"Column {GetName(ordinal)} is NULL.");
        if (buffer is null)
        {
            return raw.Length;
        }

        var count = (int)Math.Max(0, Math.Min(length, raw.Length - dataOffset));
        Array.Copy(raw, dataOffset, buffer, bufferOffset, count);
        return count;
    }

    public override char GetChar(int ordinal) => GetString(ordinal)[0];

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

    public override DateTime GetDateTime(int ordinal) => GetValue(ordinal) switch
    {
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        var v => System.Convert.ToDateTime(v, CultureInfo.InvariantCulture),
    };

    public override decimal GetDecimal(int ordinal) => System.Convert.ToDecimal(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override double GetDouble(int ordinal) => System.Convert.ToDouble(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override float GetFloat(int ordinal) => System.Convert.ToSingle(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override Guid GetGuid(int ordinal) => GetValue(ordinal) switch
    {
        Guid g => g,
        var v => Guid.Parse(System.Convert.ToString(v, CultureInfo.InvariantCulture)!),
    };

    public override short GetInt16(int ordinal) => System.Convert.ToInt16(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override int GetInt32(int ordinal) => System.Convert.ToInt32(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override long GetInt64(int ordinal) => System.Convert.ToInt64(GetValue(ordinal), CultureInfo.InvariantCulture);

    public override string GetString(int ordinal) => GetValue(ordinal) switch
    {
        string s => s,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        var v => System.Convert.ToString(v, CultureInfo.InvariantCulture)!,
    };

    public override T GetFieldValue<T>(int ordinal)
    {
        if (typeof(T) == typeof(byte[]))
        {
            return (T)(object)(Raw(ordinal) ?? throw new InvalidCastException($"Column {GetName(ordinal)} is NULL."));
        }

        var value = GetValue(ordinal);
        return value switch
        {
            T typed => typed,
            DBNull => throw new InvalidCastException($"Column {GetName(ordinal)} is NULL."),
            DateTime t when typeof(T) == typeof(DateOnly) => (T)(object)DateOnly.FromDateTime(t),
            DateOnly d when typeof(T) == typeof(DateTime) => (T)(object)d.ToDateTime(TimeOnly.MinValue),
            DateTime t when typeof(T) == typeof(DateTimeOffset) => (T)(object)new DateTimeOffset(t, TimeSpan.Zero),
            _ => (T)System.Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture),
        };
    }

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public override void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _stream.Dispose();
        _response.Dispose();
        _onClose?.Invoke();
    }

    public override ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    /// <summary>The CLR type values of a ClickHouse type come out as.</summary>
    public static Type ClrType(string type) => type switch
    {
        "UInt8" => typeof(byte),
        "UInt16" => typeof(ushort),
        "UInt32" => typeof(uint),
        "UInt64" => typeof(ulong),
        "Int8" => typeof(sbyte),
        "Int16" => typeof(short),
        "Int32" => typeof(int),
        "Int64" => typeof(long),
        "Float32" => typeof(float),
        "Float64" => typeof(double),
        "Date" => typeof(DateOnly),
        "UUID" => typeof(Guid),
        _ when type.StartsWith("Decimal", StringComparison.Ordinal) => typeof(decimal),
        _ when type.StartsWith("DateTime", StringComparison.Ordinal) => typeof(DateTime),
        _ => typeof(string),
    };

    private static object Convert(byte[] raw, string type, TimeZoneInfo serverTimeZone)
    {
        var span = raw.AsSpan();
        var culture = CultureInfo.InvariantCulture;
        switch (type)
        {
            case "UInt8": return byte.Parse(span, culture);
            case "UInt16": return ushort.Parse(span, culture);
            case "UInt32": return uint.Parse(span, culture);
            case "UInt64": return ulong.Parse(span, culture);
            case "Int8": return sbyte.Parse(span, NumberStyles.AllowLeadingSign, culture);
            case "Int16": return short.Parse(span, NumberStyles.AllowLeadingSign, culture);
            case "Int32": return int.Parse(span, NumberStyles.AllowLeadingSign, culture);
            case "Int64": return long.Parse(span, NumberStyles.AllowLeadingSign, culture);
            case "Float32": return (float)ParseFloat(span);
            case "Float64": return ParseFloat(span);
            case "Date": return ParseDate(span);
            case "UUID": return Guid.Parse(Encoding.ASCII.GetString(raw));
            case "Nothing": return DBNull.Value;
        }

        if (type.StartsWith("Decimal", StringComparison.Ordinal))
        {
            return decimal.Parse(span, NumberStyles.Float, culture);
        }

        if (type.StartsWith("DateTime", StringComparison.Ordinal))
        {
            return ParseDateTime(span, TimeZoneOf(type) ?? serverTimeZone);
        }

        return Encoding.UTF8.GetString(raw);
    }

    private static double ParseFloat(ReadOnlySpan<byte> text) => text switch
    {
        [(byte)'n', (byte)'a', (byte)'n'] or [(byte)'-', (byte)'n', (byte)'a', (byte)'n'] => double.NaN,
        [(byte)'i', (byte)'n', (byte)'f'] or [(byte)'+', (byte)'i', (byte)'n', (byte)'f'] => double.PositiveInfinity,
        [(byte)'-', (byte)'i', (byte)'n', (byte)'f'] => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    // The zero date "0000-00-00" is what a Date column holds by default; it is the epoch's first day.
    private static DateOnly ParseDate(ReadOnlySpan<byte> text) =>
        text.StartsWith("0000-00-00"u8) ? DateOnly.FromDateTime(DateTime.UnixEpoch) : DateOnly.ParseExact(Encoding.ASCII.GetString(text), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    // The server writes a DateTime as the wall-clock time of its column's zone; it comes out in UTC.
    private static DateTime ParseDateTime(ReadOnlySpan<byte> text, TimeZoneInfo zone)
    {
        if (text.StartsWith("0000-00-00"u8))
        {
            return DateTime.UnixEpoch;
        }

        var local = DateTime.ParseExact(Encoding.ASCII.GetString(text), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return zone == TimeZoneInfo.Utc ? DateTime.SpecifyKind(local, DateTimeKind.Utc) : TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>The zone of DateTime('Europe/Berlin'); null for a DateTime without one.</summary>
    private static TimeZoneInfo? TimeZoneOf(string type)
    {
        var open = type.IndexOf('\'', StringComparison.Ordinal);
        var close = type.LastIndexOf('\'');
        return open < 0 || close <= open ? null : ClickHouseTimeZones.Find(type[(open + 1)..close]);
    }

    private static string Text(byte[]? raw) => raw is null ? string.Empty : Encoding.UTF8.GetString(raw);

    private byte[]? Raw(int ordinal)
    {
        if (!_hasRow)
        {
            throw new InvalidOperationException("No current row: call Read first.");
        }

        return _row[ordinal];
    }

    /// <summary>The fields of the next line, unescaped; null at the end of the reply.</summary>
    private async ValueTask<List<byte[]?>?> ReadLineAsync(CancellationToken cancellationToken)
    {
        if (!await EnsureAsync(cancellationToken))
        {
            return null;
        }

        var fields = new List<byte[]?>(_names.Length == 0 ? 4 : _names.Length);
        _field.Clear();
        var escaped = false;
        var isNull = false;
        while (true)
        {
            if (_position == _length && !await EnsureAsync(cancellationToken))
            {
                // A reply ends with a newline; one that stops mid-line was cut off.
                throw new WarehouseException("The reply from ClickHouse ended in the middle of a row; the connection was cut or the server failed while sending.");
            }

            var b = _buffer[_position++];
            if (escaped)
            {
                escaped = false;
                switch (b)
                {
                    case (byte)'N' when _field.Count == 0: isNull = true; break;
                    case (byte)'n': _field.Add((byte)'\n'); break;
                    case (byte)'t': _field.Add((byte)'\t'); break;
                    case (byte)'r': _field.Add((byte)'\r'); break;
                    case (byte)'b': _field.Add((byte)'\b'); break;
                    case (byte)'f': _field.Add((byte)'\f'); break;
                    case (byte)'0': _field.Add(0); break;
                    case (byte)'a': _field.Add(7); break;
                    case (byte)'v': _field.Add(11); break;
                    default: _field.Add(b); break;
                }
            }
            else if (b == (byte)'\\')
            {
                escaped = true;
            }
            else if (b is (byte)'\t' or (byte)'\n')
            {
                fields.Add(isNull ? null : [.. _field]);
                _field.Clear();
                isNull = false;
                if (b == (byte)'\n')
                {
                    return fields;
                }
            }
            else
            {
                _field.Add(b);
            }
        }
    }

    private async ValueTask<bool> EnsureAsync(CancellationToken cancellationToken)
    {
        if (_position < _length)
        {
            return true;
        }

        if (_ended)
        {
            return false;
        }

        try
        {
            _length = await _stream.ReadAsync(_buffer, cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new WarehouseException($"The connection to ClickHouse broke while a result was read: {e.Message}", e) { IsConnectionFailure = true, IsTransient = true };
        }

        _position = 0;
        if (_length == 0)
        {
            _ended = true;
            return false;
        }

        return true;
    }
}
