using System.Globalization;
using System.Text.RegularExpressions;
using Sluice.Core.Models;
using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// A model's MergeTree: PARTITION BY from its date partitions (a day's table partition per model
/// partition, so that rebuilding one swaps in one table partition), ORDER BY from its order_by,
/// LowCardinality for its low_cardinality text columns.
/// </summary>
/// <remarks>
/// 18.16 refuses Nullable columns in either key (allow_nullable_key came with 20.x), and a model's
/// columns are Nullable whenever what they are computed from may be. A nullable key column is
/// read through assumeNotNull: its NULLs sort, and are partitioned, as the type's default value
/// (1970-01-01, 0, ''). Partitions are still pruned by the column's own minimum and maximum; the
/// primary index serves conditions on assumeNotNull(column), not on the bare column, which 18.16
/// does not know to keep order through the function. A column declared not null in the model's
/// SQL (a non-Nullable type) is used as it is.
/// </remarks>
internal static partial class ClickHouseTableLayout
{
    /// <summary>Why <paramref name="layout"/> cannot be made of <paramref name="columns"/>, or null.</summary>
    public static string? Problem(IReadOnlyList<(string Name, string Type)> columns, TableLayout layout)
    {
        foreach (var name in layout.LowCardinality)
        {
            var type = columns.First(c => c.Name == name).Type;
            if (LowCardinality(type) is null)
            {
                return $"low_cardinality names column '{name}', which is {type} on ClickHouse; LowCardinality is kept for text (String) columns";
            }
        }

        return null;
    }

    /// <summary>CREATE TABLE with the columns' definitions and the keys, then INSERT of the query's rows.</summary>
    public static string Create(string quotedTable, string query, IReadOnlyList<(string Name, string Type)> columns, TableLayout layout, bool ifNotExists)
    {
        var types = columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        var definitions = columns.Select(c => $"{Q(c.Name)} {(layout.LowCardinality.Contains(c.Name) ? LowCardinality(c.Type) ?? c.Type : c.Type)}");
        var partition = layout.Partition is { } p ? PartitionKey(p, types[p.Column]) : null;
        var order = layout.OrderBy.Select(c => KeyColumn(c, types[c])).ToList();
        var sortingKey = order.Count switch
        {
            0 => "tuple()",
            1 => order[0],
            _ => $"({string.Join(", ", order)})",
        };
        return $"create table {(ifNotExists ? "if not exists " : "")}{quotedTable} ({string.Join(", ", definitions)}) engine = MergeTree()"
            + $"{(partition is null ? "" : $" partition by {partition}")} order by {sortingKey};\ninsert into {quotedTable}\n{query}";
    }

    /// <summary>
    /// The ID of the partition starting on <paramref name="start"/> when the table's key is the
    /// one <see cref="Create"/> gives <paramref name="partitioning"/>; null for any other key (a
    /// table made before keys were laid out, or after partition_by changed).
    /// </summary>
    public static string? PartitionId(string createStatement, TablePartitioning partitioning, DateOnly start)
    {
        var key = Normalize(PartitionKeyOf(createStatement));
        var expected = new[] { false, true }.Select(nullable => Expression(partitioning, nullable)).OfType<string>().Select(Normalize);
        return expected.Contains(key, StringComparer.Ordinal) ? PartitionId(partitioning, start) : null;
    }

    /// <summary>The PARTITION BY expression of a MergeTree's CREATE statement as SHOW CREATE TABLE gives it; empty for none.</summary>
    public static string PartitionKeyOf(string createStatement)
    {
        var match = PartitionBy().Match(createStatement);
        return match.Success ? match.Groups["key"].Value : string.Empty;
    }

    /// <summary>The type a low-cardinality column takes: LowCardinality of a text type, or null for other types.</summary>
    public static string? LowCardinality(string type)
    {
        if (type.StartsWith("LowCardinality(", StringComparison.Ordinal))
        {
            return type;
        }

        var bare = ClickHouseDialect.Unwrap(type);
        return bare == "String" || bare.StartsWith("FixedString(", StringComparison.Ordinal) ? $"LowCardinality({type})" : null;
    }

    private static string? PartitionKey(TablePartitioning partitioning, string type)
    {
        var bare = ClickHouseDialect.Unwrap(type);
        var fits = partitioning.Kind == PartitionKeyKind.DateKey
            ? bare.StartsWith("Int", StringComparison.Ordinal) || bare.StartsWith("UInt", StringComparison.Ordinal)
            : bare == "Date" || bare.StartsWith("DateTime", StringComparison.Ordinal);

        // A partition column of another type (dates kept as text) gets no partition key: the
        // model's partitions are then replaced by deleting and inserting their rows.
        return fits ? Expression(partitioning, IsNullable(type)) : null;
    }

    // The key as CREATE TABLE spells it; identifiers are Sluice's validated ones, which
    // system.tables reports unquoted.
    private static string? Expression(TablePartitioning partitioning, bool nullable)
    {
        var column = nullable ? $"assumeNotNull({Q(partitioning.Column)})" : Q(partitioning.Column);
        return (partitioning.Kind, partitioning.Grain) switch
        {
            (PartitionKeyKind.Date, PartitionGrain.Day) => $"toYYYYMMDD({column})",
            (PartitionKeyKind.Date, PartitionGrain.Week) => $"toMonday({column})",
            (PartitionKeyKind.Date, PartitionGrain.Month) => $"toYYYYMM({column})",
            (PartitionKeyKind.DateKey, PartitionGrain.Day) => column,

            // No Monday of a yyyymmdd key in 18.16's functions: weeks of date keys are kept in months.
            (PartitionKeyKind.DateKey, _) => $"intDiv({column}, 100)",
            _ => null,
        };
    }

    // The partition's ID as system.parts names it: the number for an integer key, yyyymmdd for a Date.
    private static string? PartitionId(TablePartitioning partitioning, DateOnly start) => (partitioning.Kind, partitioning.Grain) switch
    {
        (_, PartitionGrain.Month) => start.ToString("yyyyMM", CultureInfo.InvariantCulture),
        (PartitionKeyKind.Date, _) or (_, PartitionGrain.Day) => start.ToString("yyyyMMdd", CultureInfo.InvariantCulture),

        // A week of date keys spans months' partitions: it is not one of them.
        _ => null,
    };

    private static string KeyColumn(string column, string type) => IsNullable(type) ? $"assumeNotNull({Q(column)})" : Q(column);

    private static bool IsNullable(string type) =>
        type.StartsWith("Nullable(", StringComparison.Ordinal) || type.StartsWith("LowCardinality(Nullable(", StringComparison.Ordinal);

    private static string Normalize(string key) =>
        new([.. key.Where(c => !char.IsWhiteSpace(c) && c != '"' && c != '`')]);

    [GeneratedRegex(@"\) ENGINE = \w+\(.*?\) PARTITION BY (?<key>.+?)(?: ORDER BY | PRIMARY KEY | SAMPLE BY | TTL | SETTINGS |$)", RegexOptions.Singleline)]
    private static partial Regex PartitionBy();

    private static string Q(string identifier) => ClickHouseDialect.Instance.Quote(identifier);
}
