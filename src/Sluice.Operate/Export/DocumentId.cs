using Sluice.Core.Warehouse;

namespace Sluice.Operate.Export;

/// <summary>
/// The <c>_id</c> of an exported row, computed by the warehouse in the export's query so that
/// every format, the streamed ones and Parquet written by the engine, carries the same id: the
/// text of each key value (SQL's cast to varchar) with <c>\</c> and <c>|</c> escaped by a
/// backslash, NULL as <c>\N</c>, joined by <c>|</c>. A day-partitioned model keyed by its day
/// gets ids such as <c>2025-01-15</c>; one keyed by day and tenant, <c>2025-01-15|acme</c>. The
/// escaping makes the id one-to-one with the key, so equal ids mean equal keys.
/// </summary>
public static class DocumentId
{
    /// <summary>The name of the id column, first in every exported row.</summary>
    public const string Column = "_id";

    /// <summary>The SQL expression of the id over <paramref name="keyColumns"/>, the same on DuckDB and PostgreSQL.</summary>
    public static string Expression(ISqlDialect dialect, IReadOnlyList<string> keyColumns) =>
        string.Join(" || '|' || ", keyColumns.Select(column =>
            $"""coalesce(replace(replace(cast({dialect.Quote(column)} as varchar), '\', '\\'), '|', '\|'), '\N')"""));

    /// <summary>The id of a key given as text values (null for NULL), as <see cref="Expression"/> computes it; for readers of exported files.</summary>
    public static string Of(IEnumerable<string?> keyValues) =>
        string.Join('|', keyValues.Select(value => value is null
            ? "\\N"
            : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)));
}
