using System.Globalization;
using Sluice.Core.Warehouse;

namespace Sluice.Server.Queries;

/// <summary>
/// Reads a value given as text (a query parameter, a tenant) as a value of a column's type, so
/// that it binds as a parameter the engine compares without casting the column.
/// </summary>
internal static class ColumnText
{
    /// <summary>The value, or null when <paramref name="text"/> is not a value of the column's type.</summary>
    public static object? TryParse(ColumnSpec column, string text)
    {
        var invariant = CultureInfo.InvariantCulture;
        return column.Type.Kind switch
        {
            ColumnKind.Text or ColumnKind.Json => text,
            ColumnKind.Boolean => bool.TryParse(text, out var b) ? b : null,
            ColumnKind.SmallInt => short.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var s) ? s : null,
            ColumnKind.Integer => int.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var i) ? i : null,
            ColumnKind.BigInt => long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var l) ? l : null,
            ColumnKind.Real or ColumnKind.Double => double.TryParse(text, NumberStyles.Float, invariant, out var d) && double.IsFinite(d) ? d : null,
            ColumnKind.Decimal => decimal.TryParse(text, NumberStyles.Number, invariant, out var m) ? m : null,
            ColumnKind.Date => DateOnly.TryParseExact(text, "yyyy-MM-dd", invariant, DateTimeStyles.None, out var day) ? day : null,
            ColumnKind.Timestamp => DateTime.TryParse(text, invariant, DateTimeStyles.AllowWhiteSpaces, out var t) ? DateTime.SpecifyKind(t, DateTimeKind.Unspecified) : null,
            ColumnKind.TimestampTz => DateTimeOffset.TryParse(text, invariant, DateTimeStyles.AssumeUniversal, out var z) ? z.UtcDateTime : null,
            ColumnKind.Uuid => Guid.TryParse(text, out var g) ? g : null,
            _ => null,
        };
    }

    /// <summary>What a value of the column's type looks like, for error messages.</summary>
    public static string Expected(ColumnSpec column) => column.Type.Kind switch
    {
        ColumnKind.Boolean => "true or false",
        ColumnKind.SmallInt or ColumnKind.Integer or ColumnKind.BigInt => "a whole number",
        ColumnKind.Real or ColumnKind.Double or ColumnKind.Decimal => "a number",
        ColumnKind.Date => "a day written YYYY-MM-DD",
        ColumnKind.Timestamp or ColumnKind.TimestampTz => "a time written YYYY-MM-DDTHH:MM:SS",
        ColumnKind.Uuid => "a UUID",
        _ => "text",
    };

    /// <summary>Whether values of the column can be compared for equality through a parameter.</summary>
    public static bool IsFilterable(ColumnSpec column) => column.Type.Kind is not (ColumnKind.Binary or ColumnKind.Time or ColumnKind.Interval);
}
