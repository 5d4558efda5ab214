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
