using Npgsql;
using Sluice.Core.Project;

namespace Sluice.Warehouses.Postgres;

/// <summary>Maps Npgsql's errors to Sluice's, keeping the server's message and SQLSTATE.</summary>
internal static class PostgresErrors
{
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

        return new WarehouseException(doing is null ? $"PostgreSQL error: {message}" : $"PostgreSQL error while {doing}: {message}", error)
        {
            ErrorCode = code,
            IsTransient = error.IsTransient,
        };
    }
}
