using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Sluice.DuckDb.Native;

// duckdb.h: "Logical Type Interface".
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "duckdb_create_logical_type")]
    internal static partial LogicalTypeHandle duckdb_create_logical_type(DuckDbType type);

    [LibraryImport(Library, EntryPoint = "duckdb_create_decimal_type")]
    internal static partial LogicalTypeHandle duckdb_create_decimal_type(byte width, byte scale);

    [LibraryImport(Library, EntryPoint = "duckdb_logical_type_get_alias")]
    [return: MarshalUsing(typeof(OwnedUtf8Marshaller))]
    internal static partial string? duckdb_logical_type_get_alias(LogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_get_type_id")]
    internal static partial DuckDbType duckdb_get_type_id(LogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_decimal_width")]
    internal static partial byte duckdb_decimal_width(LogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_decimal_scale")]
    internal static partial byte duckdb_decimal_scale(LogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_decimal_internal_type")]
    internal static partial DuckDbType duckdb_decimal_internal_type(LogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_enum_internal_type")]
    internal static partial DuckDbType duckdb_enum_internal_type(LogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_enum_dictionary_size")]
    internal static partial uint duckdb_enum_dictionary_size(LogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_enum_dictionary_value")]
    [return: MarshalUsing(typeof(OwnedUtf8Marshaller))]
    internal static partial string? duckdb_enum_dictionary_value(LogicalTypeHandle type, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_list_type_child_type")]
    internal static partial LogicalTypeHandle duckdb_list_type_child_type(LogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_array_type_child_type")]
    internal static partial LogicalTypeHandle duckdb_array_type_child_type(LogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_array_type_array_size")]
    internal static partial ulong duckdb_array_type_array_size(LogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_struct_type_child_count")]
    internal static partial ulong duckdb_struct_type_child_count(LogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_struct_type_child_name")]
    [return: MarshalUsing(typeof(OwnedUtf8Marshaller))]
    internal static partial string? duckdb_struct_type_child_name(LogicalTypeHandle type, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_struct_type_child_type")]
    internal static partial LogicalTypeHandle duckdb_struct_type_child_type(LogicalTypeHandle type, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_union_type_member_count")]
    internal static partial ulong duckdb_union_type_member_count(LogicalTypeHandle type);

    [LibraryImport(Library, EntryPoint = "duckdb_union_type_member_name")]
    [return: MarshalUsing(typeof(OwnedUtf8Marshaller))]
    internal static partial string? duckdb_union_type_member_name(LogicalTypeHandle type, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_logical_type")]
    internal static partial void duckdb_destroy_logical_type(ref nint type);
}
