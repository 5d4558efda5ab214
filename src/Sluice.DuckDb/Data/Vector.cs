using System.Runtime.CompilerServices;
using Sluice.DuckDb.Native;

namespace Sluice.DuckDb.Data;

/// <summary>
/// A borrowed view of one DuckDB vector: its data and validity pointers and its type. Valid only
/// while the data chunk that owns it is alive.
/// </summary>
internal readonly unsafe struct Vector
{
    public Vector(nint handle, DuckDbColumnType type)
    {
        Handle = handle;
        Type = type;
        Data = NativeMethods.duckdb_vector_get_data(handle);
        Validity = NativeMethods.duckdb_vector_get_validity(handle);
    }

    public nint Handle { get; }

    public DuckDbColumnType Type { get; }

    public void* Data { get; }

    /// <summary>Null when every row is valid.</summary>
    public ulong* Validity { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsValid(ulong row) => Validity == null || (Validity[row >> 6] & (1UL << (int)(row & 63))) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Read<T>(ulong row) where T : unmanaged => ((T*)Data)[row];

    public Vector Child(ulong index) => Type.Type switch
    {
        DuckDbType.List or DuckDbType.Map => new Vector(NativeMethods.duckdb_list_vector_get_child(Handle), Type.Children[0].Type),
        DuckDbType.Array => new Vector(NativeMethods.duckdb_array_vector_get_child(Handle), Type.Children[0].Type),
        _ => new Vector(NativeMethods.duckdb_struct_vector_get_child(Handle, index), Type.Children[(int)index].Type),
    };
}
