using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Sluice.DuckDb.Native;

// duckdb.h: "Query Execution", "Result Functions", "Streaming Result Interface".
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "duckdb_query", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState duckdb_query(ConnectionHandle connection, string query, DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_result")]
    internal static partial void duckdb_destroy_result(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_column_name")]
    [return: MarshalUsing(typeof(BorrowedUtf8Marshaller))]
    internal static partial string? duckdb_column_name(DuckDbResultStruct* result, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_column_logical_type")]
    internal static partial LogicalTypeHandle duckdb_column_logical_type(DuckDbResultStruct* result, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_column_count")]
    internal static partial ulong duckdb_column_count(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_rows_changed")]
    internal static partial ulong duckdb_rows_changed(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_result_error")]
    [return: MarshalUsing(typeof(BorrowedUtf8Marshaller))]
    internal static partial string? duckdb_result_error(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_result_error_type")]
    internal static partial DuckDbErrorType duckdb_result_error_type(DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_result_return_type")]
    internal static partial DuckDbResultType duckdb_result_return_type(DuckDbResultStruct result);

    /// <summary>Returns the next chunk (caller-owned), or 0 when the result is exhausted or failed.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_fetch_chunk")]
    internal static partial nint duckdb_fetch_chunk(DuckDbResultStruct result);
}
