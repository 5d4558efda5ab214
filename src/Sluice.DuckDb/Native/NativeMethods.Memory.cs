using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Sluice.DuckDb.Native;

// duckdb.h: "Helpers" (memory) and "Error Data".
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "duckdb_free")]
    internal static partial void duckdb_free(void* pointer);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_error_data")]
    internal static partial void duckdb_destroy_error_data(ref nint errorData);

    [LibraryImport(Library, EntryPoint = "duckdb_error_data_error_type")]
    internal static partial DuckDbErrorType duckdb_error_data_error_type(ErrorDataHandle errorData);

    [LibraryImport(Library, EntryPoint = "duckdb_error_data_message")]
    [return: MarshalUsing(typeof(BorrowedUtf8Marshaller))]
    internal static partial string? duckdb_error_data_message(ErrorDataHandle errorData);

    [LibraryImport(Library, EntryPoint = "duckdb_error_data_has_error")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool duckdb_error_data_has_error(ErrorDataHandle errorData);

    /// <summary>Reads a caller-owned <c>char*</c> out-parameter and frees it.</summary>
    internal static string? TakeOwnedString(nint pointer)
    {
        if (pointer == 0)
        {
            return null;
        }

        var text = Marshal.PtrToStringUTF8(pointer);
        duckdb_free((void*)pointer);
        return text;
    }
}
