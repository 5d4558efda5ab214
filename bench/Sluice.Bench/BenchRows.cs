using System.Globalization;

namespace Sluice.Bench;

/// <summary>
/// The benchmark's rows, defined once in SQL and once in C#. The two definitions must agree
/// value for value: the appender and DuckDB's INSERT ... SELECT are only comparable when they
/// write the same table, and the checksums of either are checked against the same expectation.
/// </summary>
internal static class BenchRows
{
    public const string Columns = "(a BIGINT, b DOUBLE, c VARCHAR)";

    /// <summary>Length of every c value: over DuckDB's 12-byte inline limit, like most real text.</summary>
    public const int TextLength = 20;

    private const string Prefix = "value-";

    // i / 2 is DuckDB's floating-point division, so b is computed as a DOUBLE without a DECIMAL detour.
    public static string InsertSql(string table, long rows) => string.Create(
        CultureInfo.InvariantCulture,
        $"INSERT INTO {table} SELECT i, i / 2, '{Prefix}' || lpad(i::VARCHAR, {TextLength - Prefix.Length}, '0') FROM range({rows}) r(i)");

    public static long A(long i) => i;

    public static double B(long i) => i * 0.5;

    public static string C(long i) => string.Create(TextLength, i, static (span, i) =>
    {
        Prefix.CopyTo(span);
        if (!i.TryFormat(span[Prefix.Length..], out var written, "D14", CultureInfo.InvariantCulture) || written != span.Length - Prefix.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(i), i, "Row numbers above 14 digits do not fit the benchmark's text column.");
        }
    });
}
