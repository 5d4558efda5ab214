using System.Runtime.InteropServices;

namespace Sluice.DuckDb.Native;

/// <summary>duckdb_state: the return code of most C API calls.</summary>
internal enum DuckDbState
{
    Success = 0,
    Error = 1,
}

/// <summary>duckdb_pending_state.</summary>
internal enum DuckDbPendingState
{
    ResultReady = 0,
    ResultNotReady = 1,
    Error = 2,
    NoTasksAvailable = 3,
}

/// <summary>duckdb_result_type.</summary>
internal enum DuckDbResultType
{
    Invalid = 0,
    ChangedRows = 1,
    Nothing = 2,
    QueryResult = 3,
}

/// <summary>
/// duckdb_result, laid out exactly as in duckdb.h. Only <see cref="InternalData"/> matters to Sluice;
/// the deprecated fields are there so that the struct has the right size.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbResultStruct
{
    public ulong DeprecatedColumnCount;
    public ulong DeprecatedRowCount;
    public ulong DeprecatedRowsChanged;
    public nint DeprecatedColumns;
    public nint DeprecatedErrorMessage;
    public nint InternalData;
}

/// <summary>duckdb_hugeint: lower 64 bits unsigned, upper 64 bits signed.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbHugeInt
{
    public ulong Lower;
    public long Upper;

    public static DuckDbHugeInt From(Int128 value) => new()
    {
        Lower = (ulong)(value & ulong.MaxValue),
        Upper = (long)(value >> 64),
    };

    public readonly Int128 ToInt128() => new((ulong)Upper, Lower);
}

/// <summary>duckdb_decimal: width and scale followed by the value as a hugeint.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbDecimalStruct
{
    public byte Width;
    public byte Scale;
    public DuckDbHugeInt Value;
}

/// <summary>duckdb_interval.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DuckDbIntervalStruct
{
    public int Months;
    public int Days;
    public long Micros;
}

/// <summary>
/// duckdb_string_t: 16 bytes. Strings of up to 12 bytes are stored inline after the length;
/// longer ones keep a 4-byte prefix and a pointer that is owned by the vector.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal struct DuckDbStringStruct
{
    public const int InlineLength = 12;

    public uint Length;
    public uint Prefix;
    public nint Pointer;
}
