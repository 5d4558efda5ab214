using System.Globalization;
using Sluice.Core.Sync;
using Sluice.Core.Warehouse;

namespace Sluice.Sync.Postgres;

/// <summary>
/// Cursor values (watermarks): how they are stored in <c>_sluice.sync_state</c> and how they are
/// written into the source query. Values come from the source as typed CLR values and are
/// rendered by this code alone, never from user text, so the query literal cannot carry SQL.
/// </summary>
public static class CursorValues
{
    /// <summary>The stored text of a cursor value: invariant and sortable for its kind.</summary>
    public static string Format(object value) => value switch
    {
        DateTime { Kind: DateTimeKind.Utc } t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00",
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"A cursor value of type {value.GetType().Name} cannot be stored.", nameof(value)),
    };

    /// <summary>Reads a stored watermark back as a value of the cursor's kind.</summary>
    public static object Parse(string text, ColumnType type) => type.Kind switch
    {
        ColumnKind.SmallInt or ColumnKind.Integer or ColumnKind.BigInt => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        ColumnKind.Decimal => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture),
        ColumnKind.Date => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        ColumnKind.Timestamp => DateTime.SpecifyKind(DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture), DateTimeKind.Unspecified),
        ColumnKind.TimestampTz => DateTime.SpecifyKind(DateTime.ParseExact(text.EndsWith("+00", StringComparison.Ordinal) ? text[..^3] : text, "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture), DateTimeKind.Utc),
        _ => throw new ArgumentException($"A {type} column cannot be a cursor.", nameof(type)),
    };

    /// <summary>True when <paramref name="text"/> is a stored watermark of <paramref name="type"/>.</summary>
    public static bool TryParse(string text, ColumnType type, out object? value)
    {
        try
        {
            value = Parse(text, type);
            return true;
        }
        catch (FormatException)
        {
            value = null;
            return false;
        }
        catch (OverflowException)
        {
            value = null;
            return false;
        }
    }

    /// <summary>The PostgreSQL expression for <paramref name="value"/> minus the lookback.</summary>
    public static string SqlLowerBound(object value, ColumnType type, Lookback lookback)
    {
        var literal = type.Kind switch
        {
            ColumnKind.Date => $"date '{Format(value)}'",
            ColumnKind.Timestamp => $"timestamp '{Format(value)}'",
            ColumnKind.TimestampTz => $"timestamptz '{Format(value)}'",
            _ => Format(value),
        };
        if (lookback.Duration is { } duration)
        {
            var micros = duration.Ticks / TimeSpan.TicksPerMicrosecond;
            return type.Kind == ColumnKind.Date
                ? $"({literal} - interval '{micros.ToString(CultureInfo.InvariantCulture)} microseconds')::date"
                : $"({literal} - interval '{micros.ToString(CultureInfo.InvariantCulture)} microseconds')";
        }

        return lookback.Amount is { } amount ? $"({literal} - {amount.ToString(CultureInfo.InvariantCulture)})" : literal;
    }

    /// <summary>Compares two cursor values of one kind.</summary>
    public static int Compare(object left, object right) => (left, right) switch
    {
        (IComparable l, _) when left.GetType() == right.GetType() => l.CompareTo(right),
        _ => Convert.ToDecimal(left, CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(right, CultureInfo.InvariantCulture)),
    };
}
