using System.Runtime.InteropServices;

namespace Sluice.DuckDb.Native;

// duckdb.h: "Appender".
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "duckdb_appender_create_ext", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState duckdb_appender_create_ext(ConnectionHandle connection, string? catalog, string? schema, string table, out AppenderHandle appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_column_count")]
    internal static partial ulong duckdb_appender_column_count(AppenderHandle appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_column_type")]
    internal static partial LogicalTypeHandle duckdb_appender_column_type(AppenderHandle appender, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_error_data")]
    internal static partial ErrorDataHandle duckdb_appender_error_data(AppenderHandle appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_flush")]
    internal static partial DuckDbState duckdb_appender_flush(AppenderHandle appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_clear")]
    internal static partial DuckDbState duckdb_appender_clear(AppenderHandle appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_close")]
    internal static partial DuckDbState duckdb_appender_close(AppenderHandle appender);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_destroy")]
    internal static partial DuckDbState duckdb_appender_destroy(ref nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_append_data_chunk")]
    internal static partial DuckDbState duckdb_append_data_chunk(AppenderHandle appender, nint chunk);
}
