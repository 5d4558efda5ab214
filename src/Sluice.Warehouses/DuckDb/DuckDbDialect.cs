using System.Text.RegularExpressions;
using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.DuckDb;

/// <summary>DuckDB's spelling of identifiers and types.</summary>
public sealed partial class DuckDbDialect : ISqlDialect
{
    /// <summary>The shared instance.</summary>
    public static readonly DuckDbDialect Instance = new();

    /// <inheritdoc />
    public string Md5Bits(string textExpression) => $"cast('0x' || substr(md5({textExpression}), 1, 15) as bigint)";

    /// <inheritdoc />
    public string RegexMatches(string expression, string pattern) => $"regexp_matches(cast({expression} as varchar), {((ISqlDialect)this).Literal(pattern)})";

    /// <summary>DuckDB's own count_if: a shared scan of fifty conditions runs faster than with <c>filter</c> clauses.</summary>
    public string CountWhere(string condition) => $"count_if({condition})";

    /// <summary>DuckDB's own spelling of <c>percentile_cont … within group</c>.</summary>
    public string Percentile(string expression, double fraction) =>
        $"quantile_cont({expression}, {fraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture)})";

    /// <summary>
    /// One list-valued <c>quantile_cont</c>, indexed once per fraction: DuckDB computes identical
    /// aggregates once, so the values are gathered and selected from once instead of once per
    /// percentile — about half the time of three separate percentiles.
    /// </summary>
    public IReadOnlyList<string> Percentiles(string expression, IReadOnlyList<double> fractions)
    {
        var list = string.Join(", ", fractions.Select(f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        return [.. fractions.Select((_, i) => $"quantile_cont({expression}, [{list}])[{i + 1}]")];
    }

    /// <summary>
    /// Integer keys are counted in a directly indexed array instead of a hash table (DuckDB's
    /// perfect hash aggregate) when their range fits in 2^<c>perfect_ht_threshold</c> slots: a
    /// duplicate search over ten million ids takes a third of the time, in less memory. The array
    /// is allocated whole, per thread, whatever the number of rows, so the threshold follows the
    /// relation: at most twice as many slots as rows (the default of 2^12 serves up to 4,096
    /// rows, and a table of 1,000 rows with ids in the millions keeps its small hash table), and
    /// never past 2^24, because the array cannot spill to disk as a hash table can.
    /// </summary>
    public (string Set, string Reset)? KeyCountSettings(long rows)
    {
        var bits = Math.Min(MaxKeyCountBits, BitsFor(rows));
        return bits > DefaultKeyCountBits
            ? (FormattableString.Invariant($"set perfect_ht_threshold = {bits}"), "reset perfect_ht_threshold")
            : null;
    }

    // DuckDB's own default of perfect_ht_threshold, and the most this adapter asks for.
    private const int DefaultKeyCountBits = 12;
    private const int MaxKeyCountBits = 24;

    // The least b with 2^b >= rows.
    private static int BitsFor(long rows) => rows <= 1 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(rows - 1));

    /// <inheritdoc />
    public string TypeName(ColumnType type) => type.Kind switch
    {
        ColumnKind.Boolean => "BOOLEAN",
        ColumnKind.SmallInt => "SMALLINT",
        ColumnKind.Integer => "INTEGER",
        ColumnKind.BigInt => "BIGINT",
        ColumnKind.Real => "FLOAT",
        ColumnKind.Double => "DOUBLE",
        ColumnKind.Decimal => type.IsUnboundedDecimal ? "DECIMAL(38,10)" : $"DECIMAL({type.Precision},{type.Scale})",
        ColumnKind.Text => "VARCHAR",
        ColumnKind.Binary => "BLOB",
        ColumnKind.Date => "DATE",
        ColumnKind.Time => "TIME",
        ColumnKind.Timestamp => "TIMESTAMP",
        ColumnKind.TimestampTz => "TIMESTAMPTZ",
        ColumnKind.Interval => "INTERVAL",
        ColumnKind.Uuid => "UUID",
        ColumnKind.Json => "JSON",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column kind."),
    };

    /// <inheritdoc />
    public ColumnType ParseType(string dataType, int? precision, int? scale)
    {
        var upper = dataType.Trim().ToUpperInvariant();
        var decimalMatch = DecimalPattern().Match(upper);
        if (decimalMatch.Success)
        {
            return ColumnType.Decimal(int.Parse(decimalMatch.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(decimalMatch.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        return upper switch
        {
            "BOOLEAN" => ColumnType.Boolean,
            "TINYINT" or "SMALLINT" or "UTINYINT" => ColumnType.SmallInt,
            "INTEGER" or "USMALLINT" => ColumnType.Integer,
            "BIGINT" or "UINTEGER" => ColumnType.BigInt,
            "UBIGINT" => ColumnType.Decimal(20, 0),
            "HUGEINT" or "UHUGEINT" => ColumnType.Decimal(38, 0),
            "FLOAT" or "REAL" => ColumnType.Real,
            "DOUBLE" => ColumnType.Double,
            "DECIMAL" => ColumnType.Decimal(precision ?? 18, scale ?? 3),
            "BLOB" => ColumnType.Binary,
            "DATE" => ColumnType.Date,
            "TIME" => ColumnType.Time,
            "TIMESTAMP" or "TIMESTAMP_S" or "TIMESTAMP_MS" or "TIMESTAMP_NS" => ColumnType.Timestamp,
            "TIMESTAMP WITH TIME ZONE" or "TIMESTAMPTZ" => ColumnType.TimestampTz,
            "INTERVAL" => ColumnType.Interval,
            "UUID" => ColumnType.Uuid,
            "JSON" => ColumnType.Json,

            // VARCHAR, ENUMs, nested types and anything newer are carried as text.
            _ => ColumnType.Text,
        };
    }

    [GeneratedRegex(@"^DECIMAL\((\d+),\s*(\d+)\)$")]
    private static partial Regex DecimalPattern();
}
