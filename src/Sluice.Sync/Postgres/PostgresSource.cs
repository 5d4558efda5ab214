using Npgsql;
using Sluice.Core.Project;
using Sluice.Core.Sync;
using Sluice.Warehouses.Postgres;

namespace Sluice.Sync.Postgres;

/// <summary>
/// A PostgreSQL database being synced: reads its catalog and streams rows out of it with binary
/// COPY. Every Npgsql error leaves as a <see cref="SourceException"/> that names the source and
/// never the password.
/// </summary>
public sealed class PostgresSource : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Prepares the connection pool; nothing connects until the first call.</summary>
    public PostgresSource(PostgresSourceDefinition definition)
    {
        Definition = definition;
        DisplayLocation = PostgresUrl.Mask(definition.Url);
        var builder = new NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString(definition.Url, "sluice-sync"))
        {
            // A long COPY must not be cut off by a client-side timeout; cancellation stops it instead.
            CommandTimeout = 0,
        };
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>The source's settings.</summary>
    public PostgresSourceDefinition Definition { get; }

    /// <summary>The URL with the password masked.</summary>
    public string DisplayLocation { get; }

    /// <summary>Opens a connection, or explains why it cannot.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw Translate(e, "connecting");
        }
    }

    /// <summary>Reads a table's columns and primary key; an error names the table when it does not exist.</summary>
    public async Task<SourceTable> DescribeAsync(SyncTableDefinition table, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        try
        {
            return await PostgresCatalog.DescribeAsync(connection, Definition, table, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw Translate(e, $"reading the columns of {Definition.Schema}.{table.Name}");
        }
    }

    /// <summary>Turns an Npgsql failure into a one-line error that names the source and what to check.</summary>
    public SourceException Translate(Exception error, string doing)
    {
        var prefix = $"source '{Definition.Name}' ({DisplayLocation})";
        if (error is PostgresException server)
        {
            var (hint, userFault) = server.SqlState switch
            {
                "28P01" or "28000" => (PostgresLogin.RefusedHint, true),
                "3D000" => ("check the database name in the url", true),
                "42P01" or "42703" or "3F000" => ("check the table and column names in sluice.yml", true),
                "42501" => ("grant the sync user SELECT on the table", true),
                _ => ("retry, or check the source server's log", false),
            };
            return new SourceException($"{prefix}: {server.MessageText} while {doing}; {hint}.", error)
            {
                ErrorCode = server.SqlState,
                // Npgsql leaves out a server that is shutting down or starting up (57P01..57P03).
                IsTransient = server.IsTransient || server.SqlState is "57P01" or "57P02" or "57P03" || server.SqlState.StartsWith("08", StringComparison.Ordinal),
                IsUserFault = userFault,
            };
        }

        var message = error.InnerException is { } inner && error is NpgsqlException ? $"{error.Message} {inner.Message}" : error.Message;
        if (PostgresLogin.HintFor(error) is { } login)
        {
            return new SourceException($"{prefix}: {message.TrimEnd('.')} while {doing}; {login}.", error) { IsUserFault = true };
        }

        return new SourceException($"{prefix}: {message.TrimEnd('.')} while {doing}; check that the server is running and the url's host and port.", error)
        {
            IsTransient = error is NpgsqlException { IsTransient: true } or TimeoutException or IOException,
        };
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
