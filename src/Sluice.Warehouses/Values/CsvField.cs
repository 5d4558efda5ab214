using System.Buffers;

namespace Sluice.Warehouses.Values;

/// <summary>
/// One CSV field as RFC 4180 writes it: as is, unless it is empty or holds a comma, quote or line
/// break; then in double quotes, with its quotes doubled. An empty string is written <c>""</c>,
/// so that callers can write a missing value as nothing and tell the two apart.
/// </summary>
public static class CsvField
{
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    /// <summary>Writes <paramref name="value"/> to <paramref name="writer"/>, quoted when it must be.</summary>
    public static void Write(TextWriter writer, string value)
    {
        if (value.Length > 0 && value.AsSpan().IndexOfAny(NeedsQuotes) < 0)
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }
}
