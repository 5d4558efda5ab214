using Sluice.Core.Project;
using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// A ClickHouse server as the warehouse, over its HTTP interface (ClickHouse 18.16 or newer).
/// Schemas are ClickHouse databases; tables are MergeTree tables; there are no transactions, so
/// writes are ordered for convergence instead: data first, idempotently, then the state that
/// records it.
/// </summary>
public sealed class ClickHouseWarehouse : IWarehouse
{
    private static readonly WarehouseCapabilities ClickHouseCapabilities = new(
        Transactions: false,
        TransactionalDdl: false,
        AtomicRename: true,
        Merge: false,
        PartitionReplace: true,
        ConcurrentWriters: true,
        ReadsLocalCsv: false)
    {
        SubsecondTimestamps = false,
        WindowFunctions = false,
    };

    private readonly ClickHouseUrl _url;

    /// <summary>Creates the warehouse; nothing is sent until a session runs a statement.</summary>
    public ClickHouseWarehouse(ClickHouseWarehouseSettings settings, TimeProvider? timeProvider = null)
    {
        _url = ClickHouseUrl.Parse(settings.Url);
        DisplayLocation = SecretMasker.Mask(settings.Url);
        TimeProvider = timeProvider ?? TimeProvider.System;
        if (settings.Cluster is null)
        {
            Http = new ClickHouseHttp(_url, DisplayLocation);
            return;
        }

        // Inserts into a Distributed table reach the shards before they return, and a subquery
        // of a Distributed table inside a query of one runs once, its rows sent to every shard.
        Http = new ClickHouseHttp(_url, DisplayLocation, ClusterSettings);
        Cluster = ClickHouseCluster.Create(settings, _url, Http, DisplayLocation, ClusterSettings);
        ClusterStatements = new ClickHouseClusterStatements(Cluster, _url.Database);
    }

    private static readonly IReadOnlyDictionary<string, string> ClusterSettings = new Dictionary<string, string>
    {
        ["insert_distributed_sync"] = "1",
        ["distributed_product_mode"] = "global",
    };

    /// <inheritdoc />
    public string Engine => "clickhouse";

    /// <inheritdoc />
    public string DisplayLocation { get; }

    /// <inheritdoc />
    public WarehouseCapabilities Capabilities => ClickHouseCapabilities;

    /// <inheritdoc />
    public ISqlDialect Dialect => ClickHouseDialect.Instance;

    /// <inheritdoc />
    public long? WritesInProcess => null;

    /// <summary>The database statements run in when they name none.</summary>
    internal string DefaultDatabase => _url.Database;

    internal ClickHouseHttp Http { get; }

    /// <summary>
    /// The largest load (in RowBinary bytes, as ClickHouse holds the rows in memory) sent as one
    /// block; a larger one goes through a scratch table whose partitions are attached whole.
    /// </summary>
    internal long OneBlockLoadBytes { get; set; } = 256L << 20;

    /// <summary>The cluster the tables are sharded across, or null for one server.</summary>
    internal ClickHouseCluster? Cluster { get; }

    /// <summary>What sends a sharded table's DDL to every server of <see cref="Cluster"/>; null for one server.</summary>
    internal ClickHouseClusterStatements? ClusterStatements { get; }

    internal TimeProvider TimeProvider { get; }

    /// <summary>The server's time zone, in which a DateTime without one of its own is written; asked once.</summary>
    internal Task<TimeZoneInfo> ServerTimeZoneAsync(CancellationToken cancellationToken) =>
        _serverTimeZone ??= AskTimeZoneAsync(cancellationToken);

    private Task<TimeZoneInfo>? _serverTimeZone;

    private async Task<TimeZoneInfo> AskTimeZoneAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.SendAsync("select timezone() format TabSeparated", null, cancellationToken: cancellationToken);
            return ClickHouseTimeZones.Find((await response.Content.ReadAsStringAsync(cancellationToken)).Trim());
        }
        catch
        {
            _serverTimeZone = null;
            throw;
        }
    }

    /// <inheritdoc />
    public Task<IWarehouseSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IWarehouseSession>(new ClickHouseWarehouseSession(this));

    /// <inheritdoc />
    /// <remarks>ClickHouse has no locks: a hold on it is refused, and the scheduler's is kept as a lease in the Redis of serve.cache instead.</remarks>
    public Task<IAsyncDisposable?> TryHoldAsync(string name, string holder, CancellationToken cancellationToken = default) =>
        throw new WarehouseException($"A ClickHouse warehouse has no locks to hold '{name}' with: set serve.cache to a Redis URL (redis://host:6379) in sluice.yml, where Sluice keeps the scheduler's lease instead.");

    /// <inheritdoc />
    public Task<string?> FindHolderAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

    /// <inheritdoc />
    public Task<ISqlSyntaxCheck> OpenSyntaxCheckAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<ISqlSyntaxCheck>(new ClickHouseSyntaxCheck(Http));

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Cluster?.Dispose();
        Http.Dispose();
        return ValueTask.CompletedTask;
    }
}
