using Npgsql;

namespace Sluice.Warehouses.Postgres;

/// <summary>
/// A server that refused to log in: no password was given where it asks for one, or the user or
/// password is wrong. Warehouse and source errors alike then say where a password goes, rather
/// than to check that the server runs (it does: it answered).
/// </summary>
public static class PostgresLogin
{
    /// <summary>What to do when no password was given, as the end of an error message.</summary>
    public const string NoPasswordHint = "give the password in PGPASSWORD or ~/.pgpass (host:port:database:user:password, mode 0600), or in the url as user:password@host";

    /// <summary>What to do when the server refused the user or the password.</summary>
    public const string RefusedHint = "check the user and the password (in the url, PGPASSWORD or ~/.pgpass)";

    /// <summary>What to do about <paramref name="error"/> when it is a refused login; null for any other error.</summary>
    public static string? HintFor(Exception error) => error switch
    {
        // invalid_password, invalid_authorization_specification (no such user, no pg_hba entry).
        PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } => RefusedHint,

        // Npgsql's own, before it sends anything: the server asked for a password (MD5, SCRAM,
        // cleartext) and the URL, PGPASSWORD and the pgpass file had none.
        NpgsqlException when error.Message.StartsWith("No password has been provided", StringComparison.Ordinal) => NoPasswordHint,
        _ => null,
    };
}
