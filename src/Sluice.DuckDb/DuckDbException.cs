using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Sluice.DuckDb;

/// <summary>An error reported by DuckDB, or by Sluice's binding while talking to it.</summary>
public class DuckDbException : DbException
{
    /// <summary>Creates an error of the given kind.</summary>
    public DuckDbException(string message, DuckDbErrorType errorType = DuckDbErrorType.Invalid, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorType = errorType;
    }

    /// <summary>DuckDB's classification of the error.</summary>
    public DuckDbErrorType ErrorType { get; }

    /// <summary>Transaction conflicts can succeed when retried; nothing else can.</summary>
    public override bool IsTransient => ErrorType == DuckDbErrorType.Transaction;

    [DoesNotReturn]
    internal static void Throw(string? message, DuckDbErrorType errorType, string fallback) =>
        throw new DuckDbException(string.IsNullOrEmpty(message) ? fallback : message, errorType == DuckDbErrorType.Invalid ? Classify(message) : errorType);

    /// <summary>
    /// Several C API calls report only a message. DuckDB prefixes messages with their kind
    /// ("Parser Error: ..."), which is enough to recover it.
    /// </summary>
    internal static DuckDbErrorType Classify(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return DuckDbErrorType.Invalid;
        }

        var colon = message.IndexOf(" Error:", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return DuckDbErrorType.Invalid;
        }

        var kind = message[..colon].Replace(" ", string.Empty, StringComparison.Ordinal);
        return Enum.TryParse<DuckDbErrorType>(kind, ignoreCase: true, out var parsed) ? parsed : DuckDbErrorType.Invalid;
    }
}

/// <summary>The native DuckDB library could not be found or loaded.</summary>
public sealed class DuckDbLibraryNotFoundException(string message) : DuckDbException(message, DuckDbErrorType.IO);
