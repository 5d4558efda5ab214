using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Testing;

namespace Sluice.Warehouses.Tests;

public sealed class PostgresWarehouseTests : WarehouseConformanceTests
{
    protected override async Task<IWarehouse> CreateWarehouseAsync()
    {
        var server = await PostgresServer.GetAsync();
        var url = await server.CreateDatabaseAsync("conformance");
        return WarehouseFactory.Create(new PostgresWarehouseSettings(url), "/");
    }

    [Fact]
    public async Task An_unreachable_server_is_a_clear_error_without_the_password()
    {
        await using var warehouse = WarehouseFactory.Create(new PostgresWarehouseSettings("postgres://sluice:s3cret@127.0.0.1:1/analytics"), "/");
        var error = await Assert.ThrowsAsync<WarehouseException>(() => warehouse.OpenSessionAsync());
        Assert.Contains("127.0.0.1", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.DoesNotContain("s3cret", warehouse.DisplayLocation);
    }
}
