using Sluice.DuckDb.Native;

namespace Sluice.DuckDb.Data;

/// <summary>The exception a failed result stands for, whether it failed at once or while streaming.</summary>
internal static unsafe class ResultErrors
{
    /// <summary>
    /// DuckDB's error as a <see cref="DuckDbException"/>, or an <see cref="OperationCanceledException"/>
    /// wrapping it when the failure is the interrupt that <paramref name="cancellationToken"/> asked for.
    /// </summary>
    public static Exception From(ResultHandle result, CancellationToken cancellationToken)
    {
        var message = NativeMethods.duckdb_result_error(result.Pointer);
        var type = NativeMethods.duckdb_result_error_type(result.Pointer);
        var error = new DuckDbException(message ?? "The query failed.", type == DuckDbErrorType.Invalid ? DuckDbException.Classify(message) : type);
        return error.ErrorType == DuckDbErrorType.Interrupt && cancellationToken.IsCancellationRequested
            ? new OperationCanceledException("The query was cancelled.", error, cancellationToken)
            : error;
    }
}
