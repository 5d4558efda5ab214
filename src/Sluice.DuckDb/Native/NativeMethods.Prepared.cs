using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;

namespace Sluice.DuckDb.Native;

// duckdb.h: "Prepared Statements", "Bind Values to Prepared Statements", "Execute Prepared
// Statements", "Extract Statements", "Pending Result Interface".
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "duckdb_prepare", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState duckdb_prepare(ConnectionHandle connection, string query, out PreparedStatementHandle statement);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_prepare")]
    internal static partial void duckdb_destroy_prepare(ref nint statement);

    [LibraryImport(Library, EntryPoint = "duckdb_prepare_error")]
    [return: MarshalUsing(typeof(BorrowedUtf8Marshaller))]
    internal static partial string? duckdb_prepare_error(PreparedStatementHandle statement);

    [LibraryImport(Library, EntryPoint = "duckdb_nparams")]
    internal static partial ulong duckdb_nparams(PreparedStatementHandle statement);

    [LibraryImport(Library, EntryPoint = "duckdb_parameter_name")]
    [return: MarshalUsing(typeof(OwnedUtf8Marshaller))]
    internal static partial string? duckdb_parameter_name(PreparedStatementHandle statement, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_param_type")]
    internal static partial DuckDbType duckdb_param_type(PreparedStatementHandle statement, ulong index);

    /// <summary>duckdb_statement_type; 1 is SELECT.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_prepared_statement_type")]
    internal static partial int duckdb_prepared_statement_type(PreparedStatementHandle statement);

    [LibraryImport(Library, EntryPoint = "duckdb_clear_bindings")]
    internal static partial DuckDbState duckdb_clear_bindings(PreparedStatementHandle statement);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_parameter_index", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState duckdb_bind_parameter_index(PreparedStatementHandle statement, out ulong index, string name);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_boolean")]
    internal static partial DuckDbState duckdb_bind_boolean(PreparedStatementHandle statement, ulong index, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int8")]
    internal static partial DuckDbState duckdb_bind_int8(PreparedStatementHandle statement, ulong index, sbyte value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int16")]
    internal static partial DuckDbState duckdb_bind_int16(PreparedStatementHandle statement, ulong index, short value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int32")]
    internal static partial DuckDbState duckdb_bind_int32(PreparedStatementHandle statement, ulong index, int value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_int64")]
    internal static partial DuckDbState duckdb_bind_int64(PreparedStatementHandle statement, ulong index, long value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uint8")]
    internal static partial DuckDbState duckdb_bind_uint8(PreparedStatementHandle statement, ulong index, byte value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uint16")]
    internal static partial DuckDbState duckdb_bind_uint16(PreparedStatementHandle statement, ulong index, ushort value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uint32")]
    internal static partial DuckDbState duckdb_bind_uint32(PreparedStatementHandle statement, ulong index, uint value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_uint64")]
    internal static partial DuckDbState duckdb_bind_uint64(PreparedStatementHandle statement, ulong index, ulong value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_hugeint")]
    internal static partial DuckDbState duckdb_bind_hugeint(PreparedStatementHandle statement, ulong index, DuckDbHugeInt value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_decimal")]
    internal static partial DuckDbState duckdb_bind_decimal(PreparedStatementHandle statement, ulong index, DuckDbDecimalStruct value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_float")]
    internal static partial DuckDbState duckdb_bind_float(PreparedStatementHandle statement, ulong index, float value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_double")]
    internal static partial DuckDbState duckdb_bind_double(PreparedStatementHandle statement, ulong index, double value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_date")]
    internal static partial DuckDbState duckdb_bind_date(PreparedStatementHandle statement, ulong index, int days);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_time")]
    internal static partial DuckDbState duckdb_bind_time(PreparedStatementHandle statement, ulong index, long micros);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_timestamp")]
    internal static partial DuckDbState duckdb_bind_timestamp(PreparedStatementHandle statement, ulong index, long micros);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_timestamp_tz")]
    internal static partial DuckDbState duckdb_bind_timestamp_tz(PreparedStatementHandle statement, ulong index, long micros);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_interval")]
    internal static partial DuckDbState duckdb_bind_interval(PreparedStatementHandle statement, ulong index, DuckDbIntervalStruct value);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_varchar_length")]
    internal static partial DuckDbState duckdb_bind_varchar_length(PreparedStatementHandle statement, ulong index, byte* value, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_blob")]
    internal static partial DuckDbState duckdb_bind_blob(PreparedStatementHandle statement, ulong index, byte* value, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_null")]
    internal static partial DuckDbState duckdb_bind_null(PreparedStatementHandle statement, ulong index);

    [LibraryImport(Library, EntryPoint = "duckdb_execute_prepared")]
    internal static partial DuckDbState duckdb_execute_prepared(PreparedStatementHandle statement, DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_extract_statements", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial ulong duckdb_extract_statements(ConnectionHandle connection, string query, out ExtractedStatementsHandle statements);

    [LibraryImport(Library, EntryPoint = "duckdb_prepare_extracted_statement")]
    internal static partial DuckDbState duckdb_prepare_extracted_statement(ConnectionHandle connection, ExtractedStatementsHandle statements, ulong index, out PreparedStatementHandle statement);

    [LibraryImport(Library, EntryPoint = "duckdb_extract_statements_error")]
    [return: MarshalUsing(typeof(BorrowedUtf8Marshaller))]
    internal static partial string? duckdb_extract_statements_error(ExtractedStatementsHandle statements);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_extracted")]
    internal static partial void duckdb_destroy_extracted(ref nint statements);

    [LibraryImport(Library, EntryPoint = "duckdb_pending_prepared")]
    internal static partial DuckDbState duckdb_pending_prepared(PreparedStatementHandle statement, out PendingResultHandle pending);

    [LibraryImport(Library, EntryPoint = "duckdb_pending_prepared_streaming")]
    internal static partial DuckDbState duckdb_pending_prepared_streaming(PreparedStatementHandle statement, out PendingResultHandle pending);

    [LibraryImport(Library, EntryPoint = "duckdb_pending_error")]
    [return: MarshalUsing(typeof(BorrowedUtf8Marshaller))]
    internal static partial string? duckdb_pending_error(PendingResultHandle pending);

    [LibraryImport(Library, EntryPoint = "duckdb_execute_pending")]
    internal static partial DuckDbState duckdb_execute_pending(PendingResultHandle pending, DuckDbResultStruct* result);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_pending")]
    internal static partial void duckdb_destroy_pending(ref nint pending);
}
