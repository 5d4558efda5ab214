using Sluice.DuckDb.Native;

namespace Sluice.DuckDb;

/// <summary>
/// The memory allocator built into libduckdb (jemalloc, in the Linux builds) keeps the pages
/// DuckDB frees for later reuse. Through a long load they add up to more resident memory than
/// DuckDB is using; <see cref="ReleaseFreePages"/> returns them to the operating system.
/// </summary>
public static unsafe class DuckDbAllocator
{
    // jemalloc's control entry point, exported under DuckDB's prefix where jemalloc is built in.
    private static readonly delegate* unmanaged<byte*, void*, nuint*, void*, nuint, int> Control =
        (delegate* unmanaged<byte*, void*, nuint*, void*, nuint, int>)NativeLibraryResolver.Export("duckdb_je_mallctl");

    /// <summary>True when the loaded DuckDB library has an allocator whose free pages can be released.</summary>
    public static bool CanReleaseFreePages => Control is not null;

    /// <summary>
    /// Returns the pages DuckDB's allocator holds but does not use, in every arena; false when the
    /// library has no such allocator (DuckDB then uses the system's, which needs no help here).
    /// </summary>
    public static bool ReleaseFreePages()
    {
        if (Control is null)
        {
            return false;
        }

        // 4096 is jemalloc's arena index meaning "all arenas".
        fixed (byte* name = "arena.4096.purge\0"u8)
        {
            return Control(name, null, null, null, 0) == 0;
        }
    }
}
