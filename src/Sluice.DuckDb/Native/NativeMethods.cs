namespace Sluice.DuckDb.Native;

/// <summary>
/// Raw declarations of DuckDB's C API, one partial file per section of duckdb.h, with the exact
/// entry point names. Nothing here validates or converts beyond what the marshallers do.
/// </summary>
internal static partial class NativeMethods
{
    internal const string Library = "duckdb";

    // Runs before the first call into the library, so the resolver is in place for it.
    static NativeMethods() => NativeLibraryResolver.Register(typeof(NativeMethods).Assembly);
}
