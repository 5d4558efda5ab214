using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Sluice.DuckDb.Native;

// duckdb.h: "Open Connect", "Configuration", "Instance cache".
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "duckdb_create_instance_cache")]
    internal static partial InstanceCacheHandle duckdb_create_instance_cache();

    [LibraryImport(Library, EntryPoint = "duckdb_get_or_create_from_cache", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState duckdb_get_or_create_from_cache(InstanceCacheHandle cache, string? path, out DatabaseHandle database, ConfigHandle config, out nint error);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_instance_cache")]
    internal static partial void duckdb_destroy_instance_cache(ref nint cache);

    [LibraryImport(Library, EntryPoint = "duckdb_open_ext", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState duckdb_open_ext(string? path, out DatabaseHandle database, ConfigHandle config, out nint error);

    [LibraryImport(Library, EntryPoint = "duckdb_close")]
    internal static partial void duckdb_close(ref nint database);

    [LibraryImport(Library, EntryPoint = "duckdb_connect")]
    internal static partial DuckDbState duckdb_connect(DatabaseHandle database, out ConnectionHandle connection);

    [LibraryImport(Library, EntryPoint = "duckdb_interrupt")]
    internal static partial void duckdb_interrupt(ConnectionHandle connection);

    [LibraryImport(Library, EntryPoint = "duckdb_disconnect")]
    internal static partial void duckdb_disconnect(ref nint connection);

    [LibraryImport(Library, EntryPoint = "duckdb_library_version")]
    [return: MarshalUsing(typeof(BorrowedUtf8Marshaller))]
    internal static partial string duckdb_library_version();

    [LibraryImport(Library, EntryPoint = "duckdb_create_config")]
    internal static partial DuckDbState duckdb_create_config(out ConfigHandle config);

    [LibraryImport(Library, EntryPoint = "duckdb_set_config", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState duckdb_set_config(ConfigHandle config, string name, string option);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_config")]
    internal static partial void duckdb_destroy_config(ref nint config);
}
