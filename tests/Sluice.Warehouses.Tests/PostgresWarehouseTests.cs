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
        Assert.Null(warehouse.WritesInProcess);
        var error = await Assert.ThrowsAsync<WarehouseException>(() => warehouse.OpenSessionAsync());
        Assert.Contains("127.0.0.1", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.DoesNotContain("s3cret", warehouse.DisplayLocation);
    }

    [Fact]
    public async Task Bulk_load_writes_json_and_jsonb_columns()
    {
        await Session.ExecuteAsync("create table raw.docs (id bigint, j json, jb jsonb)");
        var loaded = await Session.BulkLoadAsync(new TableName("raw", "docs"), ["id", "j", "jb"], Rows.Of([1L, "{\"a\": 1}", "{\"b\": 2}"]));
        Assert.Equal(1, loaded);
        Assert.Equal(3L, Convert.ToInt64(await Session.ScalarAsync("select (j->>'a')::int + (jb->>'b')::int from raw.docs")));
    }

    [Fact]
    public async Task Replacing_a_table_that_views_depend_on_fails_cleanly_and_changes_nothing()
    {
        var events = new TableName("raw", "viewed");
        await Session.CreateTableAsync(events, [new ColumnSpec("id", ColumnType.BigInt)]);
        await Session.ExecuteAsync("insert into raw.viewed values (1); create view raw.viewed_v as select * from raw.viewed");

        var error = await Assert.ThrowsAsync<WarehouseException>(() =>
            Session.ReplaceTableAsync(events, [new ColumnSpec("id", ColumnType.BigInt)], Rows.Of([2L])));

        Assert.Contains("depend", error.Message);
        Assert.Equal(1L, Convert.ToInt64(await Session.ScalarAsync("select id from raw.viewed_v")));
        Assert.Equal(["viewed"], (await Session.ListTablesAsync("raw")).Select(t => t.Name));
    }
}
