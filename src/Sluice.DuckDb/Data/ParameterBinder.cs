using System.Text;
using Sluice.DuckDb.Native;

namespace Sluice.DuckDb.Data;

/// <summary>Binds the command's parameters to one prepared statement, by name or position.</summary>
internal static unsafe class ParameterBinder
{
    private const int UnixEpochDayNumber = 719162;

    public static void Bind(PreparedStatementHandle statement, DuckDbParameterCollection parameters)
    {
        var count = NativeMethods.duckdb_nparams(statement);
        if (count == 0)
        {
            return;
        }

        NativeMethods.duckdb_clear_bindings(statement);
        for (ulong index = 1; index <= count; index++)
        {
            var name = NativeMethods.duckdb_parameter_name(statement, index) ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var parameter = Find(parameters, name, index)
                ?? throw new DuckDbException(
                    $"The SQL uses parameter ${name}, but the command has no value for it; add a parameter named '{name}' (or a positional one).",
                    DuckDbErrorType.ParameterNotResolved);
            var state = BindValue(statement, index, parameter.Value);
            if (state != DuckDbState.Success)
            {
                throw new DuckDbException(
                    $"DuckDB rejected the value of parameter ${name} ({parameter.Value?.GetType().Name ?? "null"}).",
                    DuckDbErrorType.MismatchType);
            }
        }
    }

    private static DuckDbParameter? Find(DuckDbParameterCollection parameters, string name, ulong index)
    {
        var byName = parameters.IndexOf(name);
        if (byName >= 0)
        {
            return parameters.At(byName);
        }

        // "?" and "$1" are named by their position.
        return ulong.TryParse(name, out var position) && position == index && (int)index <= parameters.Count
            ? parameters.At((int)index - 1)
            : null;
    }

    private static DuckDbState BindValue(PreparedStatementHandle s, ulong i, object? value)
    {
        switch (value)
        {
            case null:
            case DBNull:
                return NativeMethods.duckdb_bind_null(s, i);
            case bool v:
                return NativeMethods.duckdb_bind_boolean(s, i, v);
            case sbyte v:
                return NativeMethods.duckdb_bind_int8(s, i, v);
            case short v:
                return NativeMethods.duckdb_bind_int16(s, i, v);
            case int v:
                return NativeMethods.duckdb_bind_int32(s, i, v);
            case long v:
                return NativeMethods.duckdb_bind_int64(s, i, v);
            case byte v:
                return NativeMethods.duckdb_bind_uint8(s, i, v);
            case ushort v:
                return NativeMethods.duckdb_bind_uint16(s, i, v);
            case uint v:
                return NativeMethods.duckdb_bind_uint32(s, i, v);
            case ulong v:
                return NativeMethods.duckdb_bind_uint64(s, i, v);
            case Int128 v:
                return NativeMethods.duckdb_bind_hugeint(s, i, DuckDbHugeInt.From(v));
            case float v:
                return NativeMethods.duckdb_bind_float(s, i, v);
            case double v:
                return NativeMethods.duckdb_bind_double(s, i, v);
            case decimal v:
                return NativeMethods.duckdb_bind_decimal(s, i, ToDecimal(v));
            case string v:
                return BindUtf8(s, i, v);
            case char v:
                return BindUtf8(s, i, v.ToString());
            case byte[] v:
                fixed (byte* p = v)
                {
                    return NativeMethods.duckdb_bind_blob(s, i, p, (ulong)v.Length);
                }

            case Guid v:
                return BindUtf8(s, i, v.ToString());
            case DateOnly v:
                return NativeMethods.duckdb_bind_date(s, i, v.DayNumber - UnixEpochDayNumber);
            case TimeOnly v:
                return NativeMethods.duckdb_bind_time(s, i, v.Ticks / TimeSpan.TicksPerMicrosecond);
            case DateTime v:
                var micros = TimeUnits.FloorDiv(v.Ticks - DateTime.UnixEpoch.Ticks, TimeSpan.TicksPerMicrosecond);
                return v.Kind == DateTimeKind.Utc
                    ? NativeMethods.duckdb_bind_timestamp_tz(s, i, micros)
                    : NativeMethods.duckdb_bind_timestamp(s, i, micros);
            case DateTimeOffset v:
                return NativeMethods.duckdb_bind_timestamp_tz(s, i, TimeUnits.FloorDiv(v.UtcTicks - DateTime.UnixEpoch.Ticks, TimeSpan.TicksPerMicrosecond));
            case TimeSpan v:
                var interval = DuckDbInterval.FromTimeSpan(v);
                return NativeMethods.duckdb_bind_interval(s, i, new DuckDbIntervalStruct { Months = 0, Days = interval.Days, Micros = interval.Micros });
            case DuckDbInterval v:
                return NativeMethods.duckdb_bind_interval(s, i, new DuckDbIntervalStruct { Months = v.Months, Days = v.Days, Micros = v.Micros });
            case Enum v:
                return NativeMethods.duckdb_bind_int64(s, i, Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture));
            default:
                throw new DuckDbException(
                    $"Parameter values of type {value.GetType().FullName} are not supported; pass a number, string, date, time, Guid, byte[] or null.",
                    DuckDbErrorType.MismatchType);
        }
    }

    private static DuckDbState BindUtf8(PreparedStatementHandle s, ulong i, string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        var buffer = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(value, buffer);
        fixed (byte* p = buffer)
        {
            return NativeMethods.duckdb_bind_varchar_length(s, i, p, (ulong)byteCount);
        }
    }

    private static DuckDbDecimalStruct ToDecimal(decimal value)
    {
        var parts = DecimalParts.Of(value);
        var magnitude = (Int128)parts.Magnitude;
        return new DuckDbDecimalStruct
        {
            Width = 38,
            Scale = parts.Scale,
            Value = DuckDbHugeInt.From(parts.Negative ? -magnitude : magnitude),
        };
    }
}
