using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Sluice.DuckDb.Native;

/// <summary>
/// A <c>const char*</c> that DuckDB owns (column names, error messages): read, never freed.
/// Valid only as long as the object it came from.
/// </summary>
[CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedOut, typeof(BorrowedUtf8Marshaller))]
internal static unsafe class BorrowedUtf8Marshaller
{
    public static string? ConvertToManaged(byte* unmanaged) => Marshal.PtrToStringUTF8((nint)unmanaged);
}

/// <summary>
/// A <c>char*</c> that the caller owns (enum dictionary values, aliases, struct child names):
/// read, then released with <c>duckdb_free</c>.
/// </summary>
[CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedOut, typeof(OwnedUtf8Marshaller))]
internal static unsafe class OwnedUtf8Marshaller
{
    public static string? ConvertToManaged(byte* unmanaged) => Marshal.PtrToStringUTF8((nint)unmanaged);

    public static void Free(byte* unmanaged)
    {
        if (unmanaged != null)
        {
            NativeMethods.duckdb_free(unmanaged);
        }
    }
}
