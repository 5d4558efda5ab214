using System.Runtime.InteropServices;

namespace Sluice.DuckDb.Native;

// duckdb.h: "Data Chunk Interface", "Vector Interface", "Validity Mask Functions".
// Vectors and validity masks are borrowed from their chunk: raw pointers, valid while it lives.
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "duckdb_create_data_chunk")]
    internal static partial nint duckdb_create_data_chunk(nint* types, ulong columnCount);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_data_chunk")]
    internal static partial void duckdb_destroy_data_chunk(ref nint chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_reset")]
    internal static partial void duckdb_data_chunk_reset(nint chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_column_count")]
    internal static partial ulong duckdb_data_chunk_get_column_count(nint chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_vector")]
    internal static partial nint duckdb_data_chunk_get_vector(nint chunk, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_size")]
    internal static partial ulong duckdb_data_chunk_get_size(nint chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_set_size")]
    internal static partial void duckdb_data_chunk_set_size(nint chunk, ulong size);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_size")]
    internal static partial ulong duckdb_vector_size();

    [LibraryImport(Library, EntryPoint = "duckdb_vector_get_data")]
    internal static partial void* duckdb_vector_get_data(nint vector);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_get_validity")]
    internal static partial ulong* duckdb_vector_get_validity(nint vector);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_ensure_validity_writable")]
    internal static partial void duckdb_vector_ensure_validity_writable(nint vector);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_assign_string_element_len")]
    internal static partial void duckdb_vector_assign_string_element_len(nint vector, ulong index, byte* value, ulong length);

    /// <summary>Like duckdb_vector_assign_string_element_len without the UTF-8 check; for text .NET encoded.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_unsafe_vector_assign_string_element_len")]
    internal static partial void duckdb_unsafe_vector_assign_string_element_len(nint vector, ulong index, byte* value, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_list_vector_get_child")]
    internal static partial nint duckdb_list_vector_get_child(nint vector);

    [LibraryImport(Library, EntryPoint = "duckdb_list_vector_get_size")]
    internal static partial ulong duckdb_list_vector_get_size(nint vector);

    [LibraryImport(Library, EntryPoint = "duckdb_struct_vector_get_child")]
    internal static partial nint duckdb_struct_vector_get_child(nint vector, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_array_vector_get_child")]
    internal static partial nint duckdb_array_vector_get_child(nint vector);
}
