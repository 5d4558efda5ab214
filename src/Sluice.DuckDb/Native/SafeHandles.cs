using Microsoft.Win32.SafeHandles;

namespace Sluice.DuckDb.Native;

// Every C object that Sluice owns is one of these. DuckDB's destroy functions take a pointer to
// the handle and null it, hence the local copy in each ReleaseHandle.

internal sealed class DatabaseHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_close(ref h);
        return true;
    }
}

internal sealed class ConnectionHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_disconnect(ref h);
        return true;
    }
}

internal sealed class ConfigHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_config(ref h);
        return true;
    }
}

internal sealed class InstanceCacheHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_instance_cache(ref h);
        return true;
    }
}

internal sealed class PreparedStatementHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_prepare(ref h);
        return true;
    }
}

internal sealed class ExtractedStatementsHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_extracted(ref h);
        return true;
    }
}

internal sealed class PendingResultHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_pending(ref h);
        return true;
    }
}

internal sealed class AppenderHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        // Destroy flushes and closes; errors at this point have nowhere to go.
        NativeMethods.duckdb_appender_destroy(ref h);
        return true;
    }
}

internal sealed class DataChunkHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    internal DataChunkHandle(nint existing) : this() => SetHandle(existing);

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_data_chunk(ref h);
        return true;
    }
}

internal sealed class LogicalTypeHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_logical_type(ref h);
        return true;
    }
}

internal sealed class ErrorDataHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_error_data(ref h);
        return true;
    }
}

/// <summary>
/// A duckdb_result lives in unmanaged memory that Sluice allocates, because the C API fills it
/// through a pointer and later takes it by value. Releasing destroys the result and frees the block.
/// </summary>
internal sealed unsafe class ResultHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public static ResultHandle Allocate()
    {
        var result = new ResultHandle();
        var block = (DuckDbResultStruct*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)sizeof(DuckDbResultStruct));
        result.SetHandle((nint)block);
        return result;
    }

    public DuckDbResultStruct* Pointer => (DuckDbResultStruct*)handle;

    protected override bool ReleaseHandle()
    {
        var block = (DuckDbResultStruct*)handle;
        NativeMethods.duckdb_destroy_result(block);
        System.Runtime.InteropServices.NativeMemory.Free(block);
        return true;
    }
}
