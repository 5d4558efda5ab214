using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.Postgres;

/// <summary>PostgreSQL's spelling of identifiers and types.</summary>
public sealed class PostgresDialect : ISqlDialect
{
    /// <summary>The shared instance.</summary>
    public static readonly PostgresDialect Instance = new();

    /// <inheritdoc />
    public string Md5Bits(string textExpression) => $"('x' || substr(md5({textExpression}), 1, 15))::bit(60)::bigint";

    /// <inheritdoc />
    public string RegexMatches(string expression, string pattern) => $"(cast({expression} as text) ~ {((ISqlDialect)this).Literal(pattern)})";

    /// <inheritdoc />
    public string TypeName(ColumnType type) => type.Kind switch
    {
        ColumnKind.Boolean => "boolean",
        ColumnKind.SmallInt => "smallint",
        ColumnKind.Integer => "integer",
        ColumnKind.BigInt => "bigint",
        ColumnKind.Real => "real",
        ColumnKind.Double => "double precision",
        ColumnKind.Decimal => type.IsUnboundedDecimal ? "numeric" : $"numeric({type.Precision},{type.Scale})",
        ColumnKind.Text => "text",
        ColumnKind.Binary => "bytea",
        ColumnKind.Date => "date",
        ColumnKind.Time => "time",
        ColumnKind.Timestamp => "timestamp",
        ColumnKind.TimestampTz => "timestamptz",
        ColumnKind.Interval => "interval",
        ColumnKind.Uuid => "uuid",
        ColumnKind.Json => "jsonb",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column kind."),
    };

    /// <inheritdoc />
    public ColumnType ParseType(string dataType, int? precision, int? scale) => dataType.Trim().ToLowerInvariant() switch
    {
        "boolean" => ColumnType.Boolean,
        "smallint" => ColumnType.SmallInt,
        "integer" => ColumnType.Integer,
        "bigint" => ColumnType.BigInt,
        "real" => ColumnType.Real,
        "double precision" => ColumnType.Double,

        "numeric" => precision is { } p and <= 38 ? ColumnType.Decimal(p, scale ?? 0) : ColumnType.Numeric,
        "bytea" => ColumnType.Binary,
        "date" => ColumnType.Date,
        "time without time zone" => ColumnType.Time,
        "timestamp without time zone" => ColumnType.Timestamp,
        "timestamp with time zone" => ColumnType.TimestampTz,
        "interval" => ColumnType.Interval,
        "uuid" => ColumnType.Uuid,
        "jsonb" => ColumnType.Json,

        // json's binary form is plain text (jsonb's carries a version byte), so bulk loads
        // write json columns as text.

        // text, varchar, char, enums, arrays and other types are carried as text.
        _ => ColumnType.Text,
    };
}
