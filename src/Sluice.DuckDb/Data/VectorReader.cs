using System.Globalization;
using System.Numerics;
using System.Text;
using Sluice.DuckDb.Native;

namespace Sluice.DuckDb.Data;

/// <summary>
/// Converts values in DuckDB vectors into CLR values and text. Fixed-width values are read in
/// place; strings are decoded from duckdb_string_t without copying to an intermediate buffer.
/// </summary>
internal static unsafe class VectorReader
{
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;
    private const int UnixEpochDayNumber = 719162;
    private const int DateInfinity = int.MaxValue;
    private const long TimestampInfinity = long.MaxValue;
    private const long NegativeTimestampInfinity = -long.MaxValue;
    private const int NegativeDateInfinity = -int.MaxValue;

    public static string ReadString(in Vector vector, ulong row)
    {
        var s = (DuckDbStringStruct*)vector.Data + row;
        var length = (int)s->Length;
        var bytes = length <= DuckDbStringStruct.InlineLength ? (byte*)s + 4 : (byte*)s->Pointer;
        return Encoding.UTF8.GetString(bytes, length);
    }

    public static byte[] ReadBlob(in Vector vector, ulong row)
    {
        var s = (DuckDbStringStruct*)vector.Data + row;
        var length = (int)s->Length;
        var bytes = length <= DuckDbStringStruct.InlineLength ? (byte*)s + 4 : (byte*)s->Pointer;
        return new ReadOnlySpan<byte>(bytes, length).ToArray();
    }

    /// <summary>The value at <paramref name="row"/> as the column's CLR type; the caller has checked validity.</summary>
    public static object ReadValue(in Vector vector, ulong row)
    {
        var type = vector.Type;
        return type.Type switch
        {
            DuckDbType.Boolean => vector.Read<byte>(row) != 0,
            DuckDbType.TinyInt => vector.Read<sbyte>(row),
            DuckDbType.SmallInt => vector.Read<short>(row),
            DuckDbType.Integer => vector.Read<int>(row),
            DuckDbType.BigInt => vector.Read<long>(row),
            DuckDbType.UTinyInt => vector.Read<byte>(row),
            DuckDbType.USmallInt => vector.Read<ushort>(row),
            DuckDbType.UInteger => vector.Read<uint>(row),
            DuckDbType.UBigInt => vector.Read<ulong>(row),
            DuckDbType.HugeInt => vector.Read<DuckDbHugeInt>(row).ToInt128(),
            DuckDbType.UHugeInt => ReadUHugeInt(vector, row),
            DuckDbType.Float => vector.Read<float>(row),
            DuckDbType.Double => vector.Read<double>(row),
            DuckDbType.Decimal => ReadDecimal(vector, row),
            DuckDbType.Varchar => ReadString(vector, row),
            DuckDbType.Blob => ReadBlob(vector, row),
            DuckDbType.Date => ReadDate(vector, row),
            DuckDbType.Time => TimeOnly.FromTimeSpan(TimeSpan.FromMicroseconds(vector.Read<long>(row))),
            DuckDbType.TimeNs => new TimeOnly(vector.Read<long>(row) / 100),
            DuckDbType.Timestamp => ReadTimestamp(vector.Read<long>(row), TimeSpan.TicksPerMicrosecond, DateTimeKind.Unspecified),
            DuckDbType.TimestampTz => ReadTimestamp(vector.Read<long>(row), TimeSpan.TicksPerMicrosecond, DateTimeKind.Utc),
            DuckDbType.TimestampMs => ReadTimestamp(vector.Read<long>(row), TimeSpan.TicksPerMillisecond, DateTimeKind.Unspecified),
            DuckDbType.TimestampS => ReadTimestamp(vector.Read<long>(row), TimeSpan.TicksPerSecond, DateTimeKind.Unspecified),
            DuckDbType.TimestampNs => ReadTimestampNs(vector.Read<long>(row)),
            DuckDbType.Interval => ReadInterval(vector, row),
            DuckDbType.Uuid => ReadUuid(vector, row),
            DuckDbType.Enum => ReadEnum(vector, row),
            _ => ReadText(vector, row),
        };
    }

    /// <summary>The value at <paramref name="row"/> as text, for any type including nested ones.</summary>
    public static string ReadText(in Vector vector, ulong row)
    {
        var builder = new StringBuilder();
        AppendText(builder, vector, row, nested: false);
        return builder.ToString();
    }

    private static void AppendText(StringBuilder builder, in Vector vector, ulong row, bool nested)
    {
        if (!vector.IsValid(row))
        {
            builder.Append("NULL");
            return;
        }

        var type = vector.Type;
        switch (type.Type)
        {
            case DuckDbType.List:
            case DuckDbType.Array:
                {
                    var (offset, length) = type.Type == DuckDbType.List
                        ? (vector.Read<ulong>(row * 2), vector.Read<ulong>((row * 2) + 1))
                        : (row * type.ArraySize, type.ArraySize);
                    var child = vector.Child(0);
                    builder.Append('[');
                    for (ulong i = 0; i < length; i++)
                    {
                        if (i > 0)
                        {
                            builder.Append(", ");
                        }

                        AppendText(builder, child, offset + i, nested: true);
                    }

                    builder.Append(']');
                    return;
                }

            case DuckDbType.Map:
                {
                    var offset = vector.Read<ulong>(row * 2);
                    var length = vector.Read<ulong>((row * 2) + 1);
                    var entries = vector.Child(0);
                    var keys = entries.Child(0);
                    var values = entries.Child(1);
                    builder.Append('{');
                    for (ulong i = 0; i < length; i++)
                    {
                        if (i > 0)
                        {
                            builder.Append(", ");
                        }

                        AppendText(builder, keys, offset + i, nested: true);
                        builder.Append('=');
                        AppendText(builder, values, offset + i, nested: true);
                    }

                    builder.Append('}');
                    return;
                }

            case DuckDbType.Struct:
                builder.Append('{');
                for (var i = 0; i < type.Children.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    builder.Append('\'').Append(type.Children[i].Name).Append("': ");
                    AppendText(builder, vector.Child((ulong)i), row, nested: true);
                }

                builder.Append('}');
                return;
            case DuckDbType.Union:
                {
                    var tag = vector.Child(0).Read<byte>(row);
                    AppendText(builder, vector.Child((ulong)tag + 1), row, nested);
                    return;
                }

            case DuckDbType.Varchar when nested:
                builder.Append(ReadString(vector, row));
                return;
            default:
                builder.Append(FormatScalar(vector, row));
                return;
        }
    }

    private static string FormatScalar(in Vector vector, ulong row)
    {
        switch (vector.Type.Type)
        {
            case DuckDbType.Varchar:
                return ReadString(vector, row);
            case DuckDbType.Blob:
                return FormatBlob(ReadBlob(vector, row));
            case DuckDbType.Bit:
                return FormatBit(ReadBlob(vector, row));
            case DuckDbType.Decimal:
                return FormatDecimal(vector, row);
            case DuckDbType.TimeTz:
                return FormatTimeTz(vector.Read<ulong>(row));
            case DuckDbType.Boolean:
                return vector.Read<byte>(row) != 0 ? "true" : "false";
            case DuckDbType.Date:
                var days = vector.Read<int>(row);
                return days == DateInfinity ? "infinity" : days == -DateInfinity ? "-infinity"
                    : ReadDate(vector, row).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case DuckDbType.Timestamp:
            case DuckDbType.TimestampTz:
            case DuckDbType.TimestampMs:
            case DuckDbType.TimestampS:
            case DuckDbType.TimestampNs:
                var raw = vector.Read<long>(row);
                if (raw is TimestampInfinity or NegativeTimestampInfinity)
                {
                    return raw > 0 ? "infinity" : "-infinity";
                }

                var stamp = (DateTime)ReadValue(vector, row);
                var text = stamp.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
                return vector.Type.Type == DuckDbType.TimestampTz ? text + "+00" : text;
            case DuckDbType.Time:
            case DuckDbType.TimeNs:
                return ((TimeOnly)ReadValue(vector, row)).ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            case DuckDbType.Interval:
            case DuckDbType.Uuid:
            case DuckDbType.Enum:
            case DuckDbType.HugeInt:
            case DuckDbType.UHugeInt:
            case DuckDbType.TinyInt:
            case DuckDbType.SmallInt:
            case DuckDbType.Integer:
            case DuckDbType.BigInt:
            case DuckDbType.UTinyInt:
            case DuckDbType.USmallInt:
            case DuckDbType.UInteger:
            case DuckDbType.UBigInt:
            case DuckDbType.Float:
            case DuckDbType.Double:
                return Convert.ToString(ReadValue(vector, row), CultureInfo.InvariantCulture) ?? string.Empty;
            default:
                throw new DuckDbException(
                    $"Values of type {vector.Type.SqlName} cannot be read by Sluice; cast the column to VARCHAR in the query.",
                    DuckDbErrorType.NotImplemented);
        }
    }

    private static UInt128 ReadUHugeInt(in Vector vector, ulong row)
    {
        var lower = vector.Read<ulong>(row * 2);
        var upper = vector.Read<ulong>((row * 2) + 1);
        return new UInt128(upper, lower);
    }

    private static Int128 ReadDecimalUnscaled(in Vector vector, ulong row) => vector.Type.InternalType switch
    {
        DuckDbType.SmallInt => vector.Read<short>(row),
        DuckDbType.Integer => vector.Read<int>(row),
        DuckDbType.BigInt => vector.Read<long>(row),
        _ => vector.Read<DuckDbHugeInt>(row).ToInt128(),
    };

    private static decimal ReadDecimal(in Vector vector, ulong row)
    {
        var unscaled = ReadDecimalUnscaled(vector, row);
        var negative = unscaled < 0;
        var magnitude = (UInt128)(negative ? -unscaled : unscaled);
        if (magnitude >> 96 != 0)
        {
            throw new OverflowException(
                $"The DECIMAL({vector.Type.DecimalWidth},{vector.Type.DecimalScale}) value {FormatDecimal(vector, row)} does not fit in System.Decimal; read it with GetString or cast it to DOUBLE in the query.");
        }

        var lo = (int)(uint)magnitude;
        var mid = (int)(uint)(magnitude >> 32);
        var hi = (int)(uint)(magnitude >> 64);
        return new decimal(lo, mid, hi, negative, vector.Type.DecimalScale);
    }

    private static string FormatDecimal(in Vector vector, ulong row)
    {
        var unscaled = ReadDecimalUnscaled(vector, row);
        var scale = vector.Type.DecimalScale;
        var digits = BigInteger.Abs((BigInteger)unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        var sign = unscaled < 0 ? "-" : string.Empty;
        return scale == 0 ? sign + digits : $"{sign}{digits[..^scale]}.{digits[^scale..]}";
    }

    private static DateOnly ReadDate(in Vector vector, ulong row)
    {
        var days = vector.Read<int>(row);
        return days switch
        {
            DateInfinity => DateOnly.MaxValue,
            NegativeDateInfinity => DateOnly.MinValue,
            _ => DateOnly.FromDayNumber(UnixEpochDayNumber + days),
        };
    }

    private static DateTime ReadTimestamp(long value, long ticksPerUnit, DateTimeKind kind) => value switch
    {
        TimestampInfinity => DateTime.MaxValue,
        NegativeTimestampInfinity => DateTime.MinValue,
        _ => new DateTime(checked(UnixEpochTicks + (value * ticksPerUnit)), kind),
    };

    private static DateTime ReadTimestampNs(long nanos) => nanos switch
    {
        TimestampInfinity => DateTime.MaxValue,
        NegativeTimestampInfinity => DateTime.MinValue,
        _ => new DateTime(UnixEpochTicks + TimeUnits.FloorDiv(nanos, 100), DateTimeKind.Unspecified),
    };

    private static DuckDbInterval ReadInterval(in Vector vector, ulong row)
    {
        var interval = vector.Read<DuckDbIntervalStruct>(row);
        return new DuckDbInterval(interval.Months, interval.Days, interval.Micros);
    }

    private static Guid ReadUuid(in Vector vector, ulong row)
    {
        // DuckDB flips the top bit so that UUIDs sort as signed 128-bit integers.
        var value = vector.Read<DuckDbHugeInt>(row);
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)value.Upper ^ 0x8000_0000_0000_0000UL);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], value.Lower);
        return new Guid(bytes, bigEndian: true);
    }

    private static string ReadEnum(in Vector vector, ulong row)
    {
        var index = vector.Type.InternalType switch
        {
            DuckDbType.UTinyInt => vector.Read<byte>(row),
            DuckDbType.USmallInt => vector.Read<ushort>(row),
            _ => (int)vector.Read<uint>(row),
        };
        return vector.Type.EnumValues[index];
    }

    private static string FormatBlob(byte[] bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 32 and <= 126 and not (byte)'\\' and not (byte)'\'' and not (byte)'"')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{b:X2}");
            }
        }

        return builder.ToString();
    }

    private static string FormatBit(byte[] bytes)
    {
        // The first byte counts the padding bits at the start of the second byte.
        if (bytes.Length == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        var padding = bytes[0];
        for (var i = 1; i < bytes.Length; i++)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                if (i == 1 && 7 - bit < padding)
                {
                    continue;
                }

                builder.Append((bytes[i] >> bit & 1) == 1 ? '1' : '0');
            }
        }

        return builder.ToString();
    }

    private static string FormatTimeTz(ulong bits)
    {
        // 40 bits of microseconds, then 24 bits of offset stored inverted around its maximum.
        const int maxOffsetSeconds = 16 * 60 * 60 - 1;
        var micros = (long)(bits >> 24);
        var offsetSeconds = maxOffsetSeconds - (int)(bits & 0xFFFFFF);
        var time = TimeOnly.FromTimeSpan(TimeSpan.FromMicroseconds(micros)).ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        var offset = TimeSpan.FromSeconds(Math.Abs(offsetSeconds));
        var sign = offsetSeconds < 0 ? '-' : '+';
        return offset.Minutes == 0 && offset.Seconds == 0
            ? $"{time}{sign}{offset.Hours:00}"
            : $"{time}{sign}{offset.Hours:00}:{offset.Minutes:00}";
    }
}
