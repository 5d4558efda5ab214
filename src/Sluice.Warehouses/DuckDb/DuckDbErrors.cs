using Sluice.Core.Project;
using Sluice.DuckDb;

namespace Sluice.Warehouses.DuckDb;

/// <summary>Maps DuckDB's errors to Sluice's, keeping DuckDB's message and kind.</summary>
internal static class DuckDbErrors
{
    /// <summary>Whether <paramref name="error"/> says another process has the file open.</summary>
    public static bool IsLockConflict(DuckDbException error) =>
        error.ErrorType == DuckDbErrorType.IO && error.Message.Contains("lock", StringComparison.OrdinalIgnoreCase);

    public static WarehouseException Translate(DuckDbException error, string? doing = null)
    {
        var message = IsLockConflict(error)
            ? $"{error.Message} — another process holds the DuckDB file; stop it (or send the command to its `sluice serve`) and retry."
            : error.Message;
        return new WarehouseException(doing is null ? message : $"DuckDB error while {doing}: {message}", error)
        {
            ErrorCode = error.ErrorType.ToString(),
            IsTransient = error.IsTransient,
            IsSyntaxError = error.ErrorType is DuckDbErrorType.Parser or DuckDbErrorType.Syntax,
        };
    }
}
