using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.ClickHouse;
using Sluice.Warehouses.DuckDb;
using Sluice.Warehouses.Postgres;

namespace Sluice.Warehouses;

/// <summary>Creates the warehouse a project's settings describe.</summary>
public static class WarehouseFactory
{
    /// <summary>The engines Sluice can use as a warehouse.</summary>
    public static IReadOnlyList<string> Engines { get; } = ["duckdb", "postgres", "clickhouse"];

    /// <summary>Creates (without connecting) the warehouse for <paramref name="settings"/>.</summary>
    public static IWarehouse Create(WarehouseSettings settings, string projectDirectory) => settings switch
    {
        DuckDbWarehouseSettings duckDb => new DuckDbWarehouse(duckDb, projectDirectory),
        PostgresWarehouseSettings postgres => new PostgresWarehouse(postgres),
        ClickHouseWarehouseSettings clickHouse => new ClickHouseWarehouse(clickHouse),
        _ => throw new ConfigurationException($"Warehouse type '{settings.Type}' is not supported; use one of: {string.Join(", ", Engines)}."),
    };
}
