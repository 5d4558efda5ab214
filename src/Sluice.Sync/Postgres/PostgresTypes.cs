using Npgsql;
using NpgsqlTypes;
using Sluice.Core.Warehouse;
using Sluice.DuckDb;

namespace Sluice.Sync.Postgres;

/// <summary>
/// How each PostgreSQL type is copied: which warehouse type it lands as and how its binary COPY
/// value is read. Domains are copied as their base type and enums as their labels; types with no
/// warehouse equivalent (inet, money, ranges, composites, …) are copied as their text form with a
/// warning, which loses nothing and keeps the sync going.
/// </summary>
internal static class PostgresTypes
{
    private static readonly ISqlDialect Dialect = Sluice.Warehouses.Postgres.PostgresDialect.Instance;

    /// <summary>What the catalog says about a column's type, after following domains to their base.</summary>
    /// <param name="TypeName">pg_type.typname of the base type (int4, _text, …).</param>
    /// <param name="TypeKind">pg_type.typtype: b base, e enum, c composite, r range, p pseudo, m multirange.</param>
    /// <param name="Category">pg_type.typcategory: A for arrays.</param>
    /// <param name="Modifier">The type modifier (precision and scale of numeric), -1 when none.</param>
    /// <param name="ElementTypeName">For arrays, the element type's typname.</param>
    /// <param name="ElementTypeKind">For arrays, the element type's typtype.</param>
    public sealed record CatalogType(string TypeName, char TypeKind, char Category, int Modifier, string? ElementTypeName, char? ElementTypeKind);

    /// <summary>The column as it is copied.</summary>
    public static SourceColumn Map(string name, string declared, bool nullable, CatalogType type, string table)
    {
        var quoted = Quote(name);
        if (type.TypeKind == 'e')
        {
            return new SourceColumn(name, declared, ColumnType.Text, nullable, $"{quoted}::text", ReadText);
        }

        if (type.Category == 'A' && type.ElementTypeName is { } element)
        {
            // Arrays of the scalar types land as JSON arrays, which both warehouses can index and
            // unnest; to_jsonb keeps NULL elements and nesting.
            var scalar = type.ElementTypeKind == 'e' || Scalar(element, -1) is not null;
            return scalar
                ? new SourceColumn(name, declared, ColumnType.Json, nullable, $"to_jsonb({quoted})::text", ReadText)
                : AsText(name, declared, nullable, quoted, table);
        }

        if (type.TypeKind == 'b' && Scalar(type.TypeName, type.Modifier) is { } mapped)
        {
            return new SourceColumn(name, declared, mapped.Type, nullable, mapped.Cast ? $"{quoted}::text" : quoted, mapped.Read);
        }

        return AsText(name, declared, nullable, quoted, table);
    }

    /// <summary>True when a column of this type can serve as a cursor: it orders rows by change.</summary>
    public static bool IsOrderable(ColumnType type) => type.Kind is ColumnKind.SmallInt or ColumnKind.Integer or ColumnKind.BigInt
        or ColumnKind.Decimal or ColumnKind.Date or ColumnKind.Timestamp or ColumnKind.TimestampTz;

    /// <summary>Quotes an identifier for PostgreSQL.</summary>
    public static string Quote(string identifier) => Dialect.Quote(identifier);

    private static SourceColumn AsText(string name, string declared, bool nullable, string quoted, string table) =>
        new(name, declared, ColumnType.Text, nullable, $"{quoted}::text", ReadText,
            $"{table}.{name} has type {declared}, which the warehouse has no type for; it is copied as text.");

    private static (ColumnType Type, Func<NpgsqlBinaryExporter, object> Read, bool Cast)? Scalar(string typeName, int modifier) => typeName switch
    {
        "bool" => (ColumnType.Boolean, e => e.Read<bool>(NpgsqlDbType.Boolean), false),
        "int2" => (ColumnType.SmallInt, e => e.Read<short>(NpgsqlDbType.Smallint), false),
        "int4" => (ColumnType.Integer, e => e.Read<int>(NpgsqlDbType.Integer), false),
        "int8" => (ColumnType.BigInt, e => e.Read<long>(NpgsqlDbType.Bigint), false),
        "float4" => (ColumnType.Real, e => e.Read<float>(NpgsqlDbType.Real), false),
        "float8" => (ColumnType.Double, e => e.Read<double>(NpgsqlDbType.Double), false),
        "numeric" => (NumericType(modifier), e => e.Read<decimal>(NpgsqlDbType.Numeric), false),
        "text" or "varchar" or "bpchar" or "name" or "char" => (ColumnType.Text, ReadText, typeName is "name" or "char"),
        "uuid" => (ColumnType.Uuid, e => e.Read<Guid>(NpgsqlDbType.Uuid), false),
        "date" => (ColumnType.Date, e => e.Read<DateOnly>(NpgsqlDbType.Date), false),
        "time" => (ColumnType.Time, e => e.Read<TimeOnly>(NpgsqlDbType.Time), false),
        "timestamp" => (ColumnType.Timestamp, e => e.Read<DateTime>(NpgsqlDbType.Timestamp), false),
        "timestamptz" => (ColumnType.TimestampTz, e => e.Read<DateTime>(NpgsqlDbType.TimestampTz), false),
        "interval" => (ColumnType.Interval, ReadInterval, false),

        // json and jsonb travel as their text: jsonb's binary form is its text behind a version byte.
        "json" or "jsonb" => (ColumnType.Json, ReadText, true),
        "bytea" => (ColumnType.Binary, e => e.Read<byte[]>(NpgsqlDbType.Bytea), false),
        _ => null,
    };

    // numeric's modifier packs precision and scale as ((precision << 16) | scale) + 4.
    private static ColumnType NumericType(int modifier)
    {
        if (modifier < 4)
        {
            return ColumnType.Numeric;
        }

        var precision = ((modifier - 4) >> 16) & 0xFFFF;
        var scale = (modifier - 4) & 0xFFFF;
        return precision is >= 1 and <= 38 && scale <= precision ? ColumnType.Decimal(precision, scale) : ColumnType.Numeric;
    }

    private static object ReadText(NpgsqlBinaryExporter exporter) => exporter.Read<string>(NpgsqlDbType.Text);

    private static object ReadInterval(NpgsqlBinaryExporter exporter)
    {
        var interval = exporter.Read<NpgsqlInterval>(NpgsqlDbType.Interval);
        return new DuckDbInterval(interval.Months, interval.Days, interval.Time);
    }
}
