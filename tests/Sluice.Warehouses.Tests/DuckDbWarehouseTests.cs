using Sluice.Core.Project;
using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.Tests;

public sealed class DuckDbWarehouseTests : WarehouseConformanceTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-wh-").FullName;

    protected override Task<IWarehouse> CreateWarehouseAsync() =>
        Task.FromResult(WarehouseFactory.Create(new DuckDbWarehouseSettings("data/warehouse.duckdb"), _directory));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_file_lives_relative_to_the_project()
    {
        Assert.Equal(Path.Combine(_directory, "data", "warehouse.duckdb"), Warehouse.DisplayLocation);
        Assert.False(Warehouse.Capabilities.ConcurrentWriters);
    }
}
