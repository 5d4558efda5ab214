using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Sluice.DuckDb;

namespace Sluice.Warehouses.Values;

/// <summary>
/// The text form of a warehouse value, for table and CSV output and wherever a value is shown: invariant culture, ISO-8601
/// dates and durations, base64 for binary, JSON for lists and maps. The JSON output uses the
/// same forms for whatever JSON has no type of its own.
/// </summary>
public static class ValueText
{
    /// <summary>The value as text; empty for null.</summary>
    public static string Format(object? value) => value switch
    {
        null or DBNull => string.Empty,
        string text => text,
        bool flag => flag ? "true" : "false",
        DateTime dateTime => FormatDateTime(dateTime),
        DateTimeOffset offset => offset.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly time => time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        DuckDbInterval interval => FormatInterval(interval),
        byte[] bytes => Convert.ToBase64String(bytes),
        Guid guid => guid.ToString("D"),
        IDictionary or (IEnumerable and not string) => FormatAsJson(value),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Whether values of <paramref name="type"/> are numbers (right-aligned in tables).</summary>
    public static bool IsNumericType(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(sbyte)
        || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte)
        || type == typeof(Int128) || type == typeof(UInt128) || type == typeof(BigInteger)
        || type == typeof(decimal) || type == typeof(double) || type == typeof(float) || type == typeof(Half);

    // A TIMESTAMPTZ arrives as UTC and says so with 'Z'; a plain TIMESTAMP has no zone and must
    // not pretend to have one.
    private static string FormatDateTime(DateTime value) => value.Kind == DateTimeKind.Utc
        ? value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
        : value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    // ISO-8601 durations with a sign per part, as PostgreSQL's intervalstyle iso_8601 writes them,
    // because SQL intervals keep months, days and time apart and each may be negative.
    private static string FormatInterval(DuckDbInterval interval)
    {
        var text = new StringBuilder("P");
        var years = interval.Months / 12;
        var months = interval.Months % 12;
        Append(text, years, 'Y');
        Append(text, months, 'M');
        Append(text, interval.Days, 'D');
        if (interval.Micros != 0)
        {
            var time = TimeSpan.FromMicroseconds(interval.Micros);
            text.Append('T');
            Append(text, (long)time.TotalHours, 'H');
            Append(text, time.Minutes, 'M');
            var seconds = time.Seconds + ((decimal)(interval.Micros % 1_000_000) / 1_000_000);
            if (seconds != 0)
            {
                text.Append(seconds.ToString("0.######", CultureInfo.InvariantCulture)).Append('S');
            }
        }

        return text.Length == 1 ? "PT0S" : text.ToString();
    }

    private static void Append(StringBuilder text, long amount, char unit)
    {
        if (amount != 0)
        {
            text.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }

    private static string FormatAsJson(object value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonValueWriter.Options))
        {
            JsonValueWriter.Write(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
