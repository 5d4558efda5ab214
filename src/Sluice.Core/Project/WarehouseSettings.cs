namespace Sluice.Core.Project;

/// <summary>The <c>warehouse:</c> section of sluice.yml.</summary>
public abstract record WarehouseSettings
{
    /// <summary>The engine name as written in sluice.yml.</summary>
    public abstract string Type { get; }
}

/// <summary>
/// An embedded DuckDB file (the default).
/// <code>
/// warehouse:
///   type: duckdb
///   path: warehouse.duckdb   # relative to the project folder
///   threads: 4               # optional
///   memory_limit: 2GB        # optional
/// </code>
/// </summary>
public sealed record DuckDbWarehouseSettings(string Path, int? Threads = null, string? MemoryLimit = null) : WarehouseSettings
{
    /// <inheritdoc />
    public override string Type => "duckdb";
}

/// <summary>
/// A PostgreSQL server.
/// <code>
/// warehouse:
///   type: postgres
///   url: postgres://sluice@localhost:5432/analytics   # password from ${PGPASSWORD} or the URL
/// </code>
/// </summary>
public sealed record PostgresWarehouseSettings(string Url) : WarehouseSettings
{
    /// <inheritdoc />
    public override string Type => "postgres";
}

/// <summary>
/// A ClickHouse server, reached over its HTTP interface.
/// <code>
/// warehouse:
///   type: clickhouse
///   url: http://sluice:${CLICKHOUSE_PASSWORD}@localhost:8123/analytics
///   cluster: analytics   # optional: tables are sharded across this cluster of remote_servers
///   shards:              # with cluster: the HTTP URL of every server of the cluster
///     - http://ch1:8123
///     - http://ch2:8123
/// </code>
/// The URL's path names the database models go to when they name no schema; "default" when it is empty.
/// A shard URL without a user logs in as the URL's user with its password.
/// </summary>
public sealed record ClickHouseWarehouseSettings(string Url, string? Cluster = null) : WarehouseSettings
{
    /// <summary>The HTTP URL of every server of <see cref="Cluster"/>, to which Sluice sends each table's DDL.</summary>
    public IReadOnlyList<string> Shards { get; init; } = [];

    /// <summary>The database ClickHouse uses when a URL names none.</summary>
    public const string DefaultDatabase = "default";

    /// <inheritdoc />
    public override string Type => "clickhouse";

    /// <summary>The database named by the URL's path, or <see cref="DefaultDatabase"/>.</summary>
    public string Database =>
        Uri.TryCreate(Url, UriKind.Absolute, out var uri) && Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')) is { Length: > 0 } database
            ? database
            : DefaultDatabase;
}
