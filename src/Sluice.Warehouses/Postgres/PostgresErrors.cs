using System.Net.Sockets;
using Npgsql;
using Sluice.Core.Project;

namespace Sluice.Warehouses.Postgres;

/// <summary>Maps Npgsql's errors to Sluice's, keeping the server's message and SQLSTATE.</summary>
internal static class PostgresErrors
{
    /// <summary>The error, saying what was being done when <paramref name="doing"/> is given.</summary>
    public static WarehouseException Translate(NpgsqlException error, string? doing = null)
    {
        string message;
        string? code = null;
        if (error is PostgresException server)
        {
            code = server.SqlState;
            message = $"{server.Severity} {server.SqlState}: {server.MessageText}";
            if (!string.IsNullOrEmpty(server.Detail))
            {
                message += $" ({server.Detail})";
            }

            if (!string.IsNullOrEmpty(server.Hint))
            {
                message += $" Hint: {server.Hint}";
            }
        }
        else
        {
            // Connection failures: Npgsql's message names host and port, never the password.
            message = error.InnerException is { } inner ? $"{error.Message} {inner.Message}" : error.Message;
        }

        var loginHint = PostgresLogin.HintFor(error);
        if (loginHint is not null)
        {
            message = $"{message.TrimEnd('.')}; {loginHint}";
        }

        var connectionFailure = IsConnectionFailure(error);
        return new WarehouseException(doing is null ? $"PostgreSQL error: {message}" : $"PostgreSQL error while {doing}: {message}", error)
        {
            IsLoginRefused = loginHint is not null,
            ErrorCode = code,
            IsTransient = error.IsTransient || connectionFailure,
            IsSyntaxError = code == "42601",
            IsConnectionFailure = connectionFailure,
        };
    }

    /// <summary>
    /// Whether <paramref name="error"/> is about the connection rather than the statement: the
    /// server closed it (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now,
    /// which Npgsql does not count as transient), a connection exception (class 08), or the
    /// socket failed. A timeout is not: a statement that timed out is slow, not cut off, and a
    /// connection that timed out may be a pool with every connection busy, which emptying the
    /// pool or trying again at once would only make worse. It stays transient (a 503).
    /// </summary>
    private static bool IsConnectionFailure(NpgsqlException error) => error switch
    {
        PostgresException server => server.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            || server.SqlState.StartsWith("08", StringComparison.Ordinal),
        _ => error.InnerException is IOException or SocketException,
    };
}
