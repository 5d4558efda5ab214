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
    /// Integer keys spanning up to 2^24 values are counted in a directly indexed array instead of a
    /// hash table (DuckDB's perfect hash aggregate; its default stops at 2^12): a duplicate search
    /// over ten million ids takes a third of the time, in less memory.
    /// </summary>
    public (string Set, string Reset)? KeyCountSettings => ("set perfect_ht_threshold = 24", "reset perfect_ht_threshold");

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
