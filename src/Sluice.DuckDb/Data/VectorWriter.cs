using System.Globalization;
using System.Text;
using Sluice.DuckDb.Native;

namespace Sluice.DuckDb.Data;

/// <summary>Writes CLR values into one column of a data chunk that is being filled.</summary>
internal sealed unsafe class VectorWriter
{
    private const int UnixEpochDayNumber = 719162;
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    private byte[] _utf8 = new byte[256];
    private nint _vector;
    private void* _data;
    private ulong* _validity;

    public VectorWriter(string name, DuckDbColumnType type)
    {
        Name = name;
        Type = type;
    }

    public string Name { get; }

    public DuckDbColumnType Type { get; }

    /// <summary>Takes fresh pointers; required after the chunk is created or reset.</summary>
    public void Attach(nint vector)
    {
        _vector = vector;
        _data = NativeMethods.duckdb_vector_get_data(vector);
        _validity = null;
    }

    /// <summary>Marks a row valid again, for a row that is being rewritten after an abandoned attempt.</summary>
    public void ClearNull(ulong row)
    {
        if (_validity != null)
        {
            _validity[row >> 6] |= 1UL << (int)(row & 63);
        }
    }

    public void WriteNull(ulong row)
    {
        if (_validity == null)
        {
            NativeMethods.duckdb_vector_ensure_validity_writable(_vector);
            _validity = NativeMethods.duckdb_vector_get_validity(_vector);
        }

        _validity[row >> 6] &= ~(1UL << (int)(row & 63));
    }

    public void WriteInt64(ulong row, long value)
    {
        if (Type.Type == DuckDbType.BigInt)
        {
            ((long*)_data)[row] = value;
        }
        else
        {
            Write(row, value);
        }
    }

    public void WriteDouble(ulong row, double value)
    {
        if (Type.Type == DuckDbType.Double)
        {
            ((double*)_data)[row] = value;
        }
        else
        {
            Write(row, value);
        }
    }

    public void WriteString(ulong row, string value)
    {
        if (Type.Type is DuckDbType.Varchar or DuckDbType.Blob)
        {
            WriteUtf8(row, value);
        }
        else
        {
            Write(row, value);
        }
    }

    /// <summary>Writes any supported value, converting it to the column's type.</summary>
    public void Write(ulong row, object? value)
    {
        if (value is null or DBNull)
        {
            WriteNull(row);
            return;
        }

        var c = CultureInfo.InvariantCulture;
        switch (Type.Type)
        {
            case DuckDbType.Boolean: ((byte*)_data)[row] = Convert.ToBoolean(value, c) ? (byte)1 : (byte)0; break;
            case DuckDbType.TinyInt: ((sbyte*)_data)[row] = Convert.ToSByte(value, c); break;
            case DuckDbType.SmallInt: ((short*)_data)[row] = Convert.ToInt16(value, c); break;
            case DuckDbType.Integer: ((int*)_data)[row] = Convert.ToInt32(value, c); break;
            case DuckDbType.BigInt: ((long*)_data)[row] = Convert.ToInt64(value, c); break;
            case DuckDbType.UTinyInt: ((byte*)_data)[row] = Convert.ToByte(value, c); break;
            case DuckDbType.USmallInt: ((ushort*)_data)[row] = Convert.ToUInt16(value, c); break;
            case DuckDbType.UInteger: ((uint*)_data)[row] = Convert.ToUInt32(value, c); break;
            case DuckDbType.UBigInt: ((ulong*)_data)[row] = Convert.ToUInt64(value, c); break;
            case DuckDbType.HugeInt: ((DuckDbHugeInt*)_data)[row] = DuckDbHugeInt.From(value is Int128 h ? h : Convert.ToInt64(value, c)); break;
            case DuckDbType.Float: ((float*)_data)[row] = Convert.ToSingle(value, c); break;
            case DuckDbType.Double: ((double*)_data)[row] = Convert.ToDouble(value, c); break;
            case DuckDbType.Decimal: WriteDecimal(row, Convert.ToDecimal(value, c)); break;
            case DuckDbType.Varchar: WriteUtf8(row, value as string ?? Convert.ToString(value, c) ?? string.Empty); break;
            case DuckDbType.Blob: WriteBlob(row, value as byte[] ?? throw Mismatch(value)); break;
            case DuckDbType.Date: ((int*)_data)[row] = ToDate(value) - UnixEpochDayNumber; break;
            case DuckDbType.Time: ((long*)_data)[row] = ToTime(value).Ticks / TimeSpan.TicksPerMicrosecond; break;
            case DuckDbType.Timestamp: ((long*)_data)[row] = TimeUnits.FloorDiv(ToTimestamp(value) - UnixEpochTicks, TimeSpan.TicksPerMicrosecond); break;
            case DuckDbType.TimestampTz: ((long*)_data)[row] = TimeUnits.FloorDiv(ToInstant(value) - UnixEpochTicks, TimeSpan.TicksPerMicrosecond); break;
            case DuckDbType.TimestampMs: ((long*)_data)[row] = TimeUnits.FloorDiv(ToTimestamp(value) - UnixEpochTicks, TimeSpan.TicksPerMillisecond); break;
            case DuckDbType.TimestampS: ((long*)_data)[row] = TimeUnits.FloorDiv(ToTimestamp(value) - UnixEpochTicks, TimeSpan.TicksPerSecond); break;
            case DuckDbType.TimestampNs: ((long*)_data)[row] = (ToTimestamp(value) - UnixEpochTicks) * 100; break;
            case DuckDbType.Interval: ((DuckDbIntervalStruct*)_data)[row] = ToInterval(value); break;
            case DuckDbType.Uuid: ((DuckDbHugeInt*)_data)[row] = ToUuid(value); break;
            default:
                throw new DuckDbException(
                    $"Column '{Name}' has type {Type.SqlName}, which the appender cannot fill; insert such values with SQL instead.",
                    DuckDbErrorType.NotImplemented);
        }
    }

    private void WriteUtf8(ulong row, string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max > _utf8.Length)
        {
            _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, _utf8);
        if (length <= DuckDbStringStruct.InlineLength)
        {
            // Short strings live inside the 16-byte string_t itself, zero-padded; no native call.
            var slot = (DuckDbStringStruct*)_data + row;
            *slot = default;
            slot->Length = (uint)length;
            _utf8.AsSpan(0, length).CopyTo(new Span<byte>((byte*)slot + 4, DuckDbStringStruct.InlineLength));
            return;
        }

        fixed (byte* p = _utf8)
        {
            // .NET's encoder only produces valid UTF-8 (lone surrogates become U+FFFD), so
            // DuckDB's own validation would be repeated work.
            NativeMethods.duckdb_unsafe_vector_assign_string_element_len(_vector, row, p, (ulong)length);
        }
    }

    private void WriteBlob(ulong row, byte[] value)
    {
        fixed (byte* p = value)
        {
            NativeMethods.duckdb_vector_assign_string_element_len(_vector, row, p, (ulong)value.Length);
        }
    }

    private void WriteDecimal(ulong row, decimal value)
    {
        // DuckDB's casts round half away from zero and reject values wider than the column;
        // the appender must store exactly what an INSERT would.
        var unscaled = Unscaled(value, Type.DecimalScale);
        if (System.Numerics.BigInteger.Abs(unscaled) >= System.Numerics.BigInteger.Pow(10, Type.DecimalWidth))
        {
            throw new DuckDbException($"Column '{Name}' ({Type.SqlName}) cannot hold {value}: it has more than {Type.DecimalWidth - Type.DecimalScale} digits before the point.", DuckDbErrorType.OutOfRange);
        }

        switch (Type.InternalType)
        {
            case DuckDbType.SmallInt: ((short*)_data)[row] = (short)unscaled; break;
            case DuckDbType.Integer: ((int*)_data)[row] = (int)unscaled; break;
            case DuckDbType.BigInt: ((long*)_data)[row] = (long)unscaled; break;
            default: ((DuckDbHugeInt*)_data)[row] = DuckDbHugeInt.From((Int128)unscaled); break;
        }
    }

    /// <summary>The value times 10^scale as an integer, rounded half away from zero; exact for any scale up to 38.</summary>
    private static System.Numerics.BigInteger Unscaled(decimal value, int scale)
    {
        var parts = DecimalParts.Of(value);
        var mantissa = (System.Numerics.BigInteger)parts.Magnitude;
        var valueScale = (int)parts.Scale;
        System.Numerics.BigInteger result;
        if (scale >= valueScale)
        {
            result = mantissa * System.Numerics.BigInteger.Pow(10, scale - valueScale);
        }
        else
        {
            var divisor = System.Numerics.BigInteger.Pow(10, valueScale - scale);
            result = System.Numerics.BigInteger.DivRem(mantissa, divisor, out var remainder);
            if (remainder * 2 >= divisor)
            {
                result += 1;
            }
        }

        return parts.Negative ? -result : result;
    }

    private int ToDate(object value) => value switch
    {
        DateOnly d => d.DayNumber,
        DateTime t => DateOnly.FromDateTime(t).DayNumber,
        DateTimeOffset t => DateOnly.FromDateTime(t.UtcDateTime).DayNumber,
        string s => DateOnly.Parse(s, CultureInfo.InvariantCulture).DayNumber,
        _ => throw Mismatch(value),
    };

    private TimeOnly ToTime(object value) => value switch
    {
        TimeOnly t => t,
        TimeSpan s => TimeOnly.FromTimeSpan(s),
        DateTime t => TimeOnly.FromDateTime(t),
        string s => TimeOnly.Parse(s, CultureInfo.InvariantCulture),
        _ => throw Mismatch(value),
    };

    /// <summary>Ticks of an instant in UTC: a Local time is converted, an Unspecified one is taken as UTC.</summary>
    private long ToInstant(object value) => value is DateTime { Kind: DateTimeKind.Local } local ? local.ToUniversalTime().Ticks : ToTimestamp(value);

    private long ToTimestamp(object value) => value switch
    {
        DateTime t => t.Ticks,
        DateTimeOffset t => t.UtcTicks,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue).Ticks,
        string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal).Ticks,
        _ => throw Mismatch(value),
    };

    private DuckDbIntervalStruct ToInterval(object value)
    {
        var interval = value switch
        {
            DuckDbInterval i => i,
            TimeSpan s => DuckDbInterval.FromTimeSpan(s),
            _ => throw Mismatch(value),
        };
        return new DuckDbIntervalStruct { Months = interval.Months, Days = interval.Days, Micros = interval.Micros };
    }

    private DuckDbHugeInt ToUuid(object value)
    {
        var guid = value switch
        {
            Guid g => g,
            string s => Guid.Parse(s),
            _ => throw Mismatch(value),
        };
        Span<byte> bytes = stackalloc byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        return new DuckDbHugeInt
        {
            Upper = (long)(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes) ^ 0x8000_0000_0000_0000UL),
            Lower = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
        };
    }

    private DuckDbException Mismatch(object value) =>
        new($"Column '{Name}' ({Type.SqlName}) cannot take the value '{value}' of type {value.GetType().Name}.", DuckDbErrorType.MismatchType);
}
