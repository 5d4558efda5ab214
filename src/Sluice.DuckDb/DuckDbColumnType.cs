using Sluice.DuckDb.Native;

namespace Sluice.DuckDb;

/// <summary>
/// A managed description of a DuckDB logical type, read once per result column so that the row
/// loop never goes back to the C API for type information.
/// </summary>
public sealed class DuckDbColumnType
{
    private DuckDbColumnType(DuckDbType type) => Type = type;

    /// <summary>The type id.</summary>
    public DuckDbType Type { get; }

    /// <summary>The alias (for example JSON for a VARCHAR alias), if any.</summary>
    public string? Alias { get; private init; }

    /// <summary>DECIMAL width.</summary>
    public byte DecimalWidth { get; private init; }

    /// <summary>DECIMAL scale.</summary>
    public byte DecimalScale { get; private init; }

    /// <summary>The physical type of DECIMAL and ENUM values.</summary>
    public DuckDbType InternalType { get; private init; }

    /// <summary>ENUM dictionary.</summary>
    public IReadOnlyList<string> EnumValues { get; private init; } = [];

    /// <summary>Children of LIST, ARRAY (one), MAP (key and value), STRUCT and UNION (one per field).</summary>
    public IReadOnlyList<(string Name, DuckDbColumnType Type)> Children { get; private init; } = [];

    /// <summary>ARRAY length.</summary>
    public ulong ArraySize { get; private init; }

    /// <summary>DuckDB's own spelling of the type, for messages and schema tables.</summary>
    public string SqlName => Alias ?? Type switch
    {
        DuckDbType.Decimal => $"DECIMAL({DecimalWidth},{DecimalScale})",
        DuckDbType.List => $"{Children[0].Type.SqlName}[]",
        DuckDbType.Array => $"{Children[0].Type.SqlName}[{ArraySize}]",
        DuckDbType.Map => $"MAP({Children[0].Type.Children[0].Type.SqlName}, {Children[0].Type.Children[1].Type.SqlName})",
        DuckDbType.Struct => $"STRUCT({string.Join(", ", Children.Select(c => $"{c.Name} {c.Type.SqlName}"))})",
        DuckDbType.Union => $"UNION({string.Join(", ", Children.Skip(1).Select(c => $"{c.Name} {c.Type.SqlName}"))})",
        DuckDbType.TimestampTz => "TIMESTAMP WITH TIME ZONE",
        DuckDbType.TimeTz => "TIME WITH TIME ZONE",
        _ => Type.ToString().ToUpperInvariant(),
    };

    /// <summary>The CLR type that readers return for this column.</summary>
    public Type ClrType => Type switch
    {
        DuckDbType.Boolean => typeof(bool),
        DuckDbType.TinyInt => typeof(sbyte),
        DuckDbType.SmallInt => typeof(short),
        DuckDbType.Integer => typeof(int),
        DuckDbType.BigInt => typeof(long),
        DuckDbType.UTinyInt => typeof(byte),
        DuckDbType.USmallInt => typeof(ushort),
        DuckDbType.UInteger => typeof(uint),
        DuckDbType.UBigInt => typeof(ulong),
        DuckDbType.HugeInt => typeof(Int128),
        DuckDbType.UHugeInt => typeof(UInt128),
        DuckDbType.Float => typeof(float),
        DuckDbType.Double => typeof(double),
        DuckDbType.Decimal => typeof(decimal),
        DuckDbType.Blob => typeof(byte[]),
        DuckDbType.Date => typeof(DateOnly),
        DuckDbType.Time or DuckDbType.TimeNs => typeof(TimeOnly),
        DuckDbType.Timestamp or DuckDbType.TimestampS or DuckDbType.TimestampMs or DuckDbType.TimestampNs or DuckDbType.TimestampTz => typeof(DateTime),
        DuckDbType.Interval => typeof(DuckDbInterval),
        DuckDbType.Uuid => typeof(Guid),
        _ => typeof(string),
    };

    internal static DuckDbColumnType From(LogicalTypeHandle handle)
    {
        var type = NativeMethods.duckdb_get_type_id(handle);
        var alias = NativeMethods.duckdb_logical_type_get_alias(handle);
        switch (type)
        {
            case DuckDbType.Decimal:
                return new DuckDbColumnType(type)
                {
                    Alias = alias,
                    DecimalWidth = NativeMethods.duckdb_decimal_width(handle),
                    DecimalScale = NativeMethods.duckdb_decimal_scale(handle),
                    InternalType = NativeMethods.duckdb_decimal_internal_type(handle),
                };
            case DuckDbType.Enum:
                var size = NativeMethods.duckdb_enum_dictionary_size(handle);
                var values = new string[size];
                for (uint i = 0; i < size; i++)
                {
                    values[i] = NativeMethods.duckdb_enum_dictionary_value(handle, i) ?? string.Empty;
                }

                return new DuckDbColumnType(type) { Alias = alias, InternalType = NativeMethods.duckdb_enum_internal_type(handle), EnumValues = values };
            case DuckDbType.List:
            case DuckDbType.Map:
                // A MAP is stored as a LIST of STRUCT(key, value).
                using (var child = NativeMethods.duckdb_list_type_child_type(handle))
                {
                    return new DuckDbColumnType(type) { Alias = alias, Children = [("", From(child))] };
                }

            case DuckDbType.Array:
                using (var child = NativeMethods.duckdb_array_type_child_type(handle))
                {
                    return new DuckDbColumnType(type)
                    {
                        Alias = alias,
                        Children = [("", From(child))],
                        ArraySize = NativeMethods.duckdb_array_type_array_size(handle),
                    };
                }

            case DuckDbType.Struct:
            case DuckDbType.Union:
                // A UNION is stored as a STRUCT whose first child is the tag.
                var count = NativeMethods.duckdb_struct_type_child_count(handle);
                var children = new (string, DuckDbColumnType)[count];
                for (ulong i = 0; i < count; i++)
                {
                    using var child = NativeMethods.duckdb_struct_type_child_type(handle, i);
                    children[i] = (NativeMethods.duckdb_struct_type_child_name(handle, i) ?? string.Empty, From(child));
                }

                return new DuckDbColumnType(type) { Alias = alias, Children = children };
            default:
                return new DuckDbColumnType(type) { Alias = alias };
        }
    }

    /// <inheritdoc />
    public override string ToString() => SqlName;
}
