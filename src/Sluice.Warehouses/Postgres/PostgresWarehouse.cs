using Npgsql;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.Postgres;

/// <summary>A PostgreSQL server as the warehouse; sessions come from an Npgsql connection pool.</summary>
public sealed class PostgresWarehouse : IWarehouse
{
    private static readonly WarehouseCapabilities PostgresCapabilities = new(
        Transactions: true,
        TransactionalDdl: true,
        AtomicRename: true,
        Merge: true,
        PartitionReplace: true,
        ConcurrentWriters: true,
        ReadsLocalCsv: false);

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the warehouse; no connection is made until a session opens.</summary>
    public PostgresWarehouse(PostgresWarehouseSettings settings)
    {
        DisplayLocation = PostgresUrl.Mask(settings.Url);
        _dataSource = NpgsqlDataSource.Create(PostgresUrl.ToConnectionString(settings.Url));
    }

    /// <inheritdoc />
    public string Engine => "postgres";

    /// <inheritdoc />
    public string DisplayLocation { get; }

    /// <inheritdoc />
    public WarehouseCapabilities Capabilities => PostgresCapabilities;

    /// <inheritdoc />
    public ISqlDialect Dialect => PostgresDialect.Instance;

    /// <inheritdoc />
    public long? WritesInProcess => null;

    /// <inheritdoc />
    public async Task<IWarehouseSession> OpenSessionAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            return new PostgresWarehouseSession(this, connection);
        }
        catch (NpgsqlException e)
        {
            throw Translate(e, $"connecting to {DisplayLocation}");
        }
    }

    /// <inheritdoc />
    public async Task<IAsyncDisposable?> TryHoldAsync(string name, string holder, CancellationToken cancellationToken = default)
    {
        try
        {
            // A connection of its own, outside the pool: the lock lives as long as the connection.
            var connection = _dataSource.CreateConnection();
            await connection.OpenAsync(cancellationToken);
            return await PostgresHold.TryTakeAsync(connection, name, holder, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw Translate(e, $"taking the {name} hold on {DisplayLocation}");
        }
    }

    /// <inheritdoc />
    public async Task<string?> FindHolderAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            return await PostgresHold.FindAsync(connection, name, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw Translate(e, $"looking up who holds {name} on {DisplayLocation}");
        }
    }

    /// <summary>
    /// Translates an error of one of this warehouse's connections. When the connection failed, the
    /// pool's idle connections are let go as well: after a server restart they are all closed, and
    /// the next session would otherwise be handed one of them.
    /// </summary>
    internal WarehouseException Translate(NpgsqlException error, string? doing = null)
    {
        var translated = PostgresErrors.Translate(error, doing);
        if (translated.IsConnectionFailure)
        {
            _dataSource.Clear();
        }

        return translated;
    }

    /// <inheritdoc />
    /// <remarks>Asks the server over a connection of its own.</remarks>
    public async Task<ISqlSyntaxCheck> OpenSyntaxCheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return new PostgresSyntaxCheck(await _dataSource.OpenConnectionAsync(cancellationToken));
        }
        catch (NpgsqlException e)
        {
            throw Translate(e, $"connecting to {DisplayLocation}");
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
