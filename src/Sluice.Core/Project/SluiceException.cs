namespace Sluice.Core.Project;

/// <summary>
/// The root of Sluice's own errors: something a user can fix. The message names the file, line,
/// model, table or parameter at fault and what to do; it never contains a secret.
/// </summary>
public class SluiceException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>The project or its configuration is wrong (exit code 2).</summary>
public class ConfigurationException(string message, Exception? innerException = null) : SluiceException(message, innerException);

/// <summary>A warehouse operation failed; carries the engine's error where there is one.</summary>
public class WarehouseException(string message, Exception? innerException = null) : SluiceException(message, innerException)
{
    /// <summary>The SQLSTATE (PostgreSQL) or error kind (DuckDB), when known.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>True when retrying may succeed (serialization failures, lost connections).</summary>
    public bool IsTransient { get; init; }

    /// <summary>
    /// True when the connection to the engine could not be made or broke under the statement (a
    /// server shutting down, restarting or unreachable, a reset socket): the statement is not at
    /// fault and a new connection may succeed. Implies <see cref="IsTransient"/>. Whether a
    /// statement that was sent took effect is unknown, so only reads are safe to repeat.
    /// </summary>
    public bool IsConnectionFailure { get; init; }

    /// <summary>True when the statement would create what is already there (a table, a column, a schema).</summary>
    public bool IsAlreadyExists { get; init; }

    /// <summary>True when the engine's parser rejected the statement: the SQL text itself is at fault.</summary>
    public bool IsSyntaxError { get; init; }

    /// <summary>
    /// True when the server refused to log in (no password, or a wrong user or password): the
    /// configuration is at fault, and the message says where a password goes.
    /// </summary>
    public bool IsLoginRefused { get; init; }
}

/// <summary>A source (a PostgreSQL database, CSV files) could not be read.</summary>
public class SourceException(string message, Exception? innerException = null) : SluiceException(message, innerException)
{
    /// <summary>The SQLSTATE, when the source is PostgreSQL and the server reported one.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>True when retrying may succeed (a reset connection, a restarting server).</summary>
    public bool IsTransient { get; init; }

    /// <summary>True when the configuration or the source's schema is at fault rather than the source's health.</summary>
    public bool IsUserFault { get; init; }
}
