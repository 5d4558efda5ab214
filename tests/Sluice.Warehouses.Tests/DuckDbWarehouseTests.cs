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

    [Fact]
    public async Task Writes_are_counted_for_every_warehouse_on_the_file_and_reads_are_not()
    {
        await using var other = WarehouseFactory.Create(new DuckDbWarehouseSettings("data/warehouse.duckdb"), _directory);
        await using var session = await Warehouse.OpenSessionAsync();
        await session.ExecuteAsync("create table counted (n integer)");
        var before = Warehouse.WritesInProcess!.Value;
        Assert.Equal(before, other.WritesInProcess);

        await session.ScalarAsync("select count(*) from counted");
        Assert.Equal(before, Warehouse.WritesInProcess);

        await session.ExecuteAsync("insert into counted values (1)");
        Assert.Equal(before + 1, other.WritesInProcess);

        await using (var transaction = await session.BeginTransactionAsync())
        {
            await session.ExecuteAsync("insert into counted values (2)");
            await transaction.CommitAsync();
        }

        Assert.True(other.WritesInProcess > before + 1);
        var afterCommit = other.WritesInProcess;
        await using var otherSession = await other.OpenSessionAsync();
        await otherSession.ExecuteAsync("delete from counted");
        Assert.True(Warehouse.WritesInProcess > afterCommit);
    }

    [Fact]
    public async Task An_announced_server_is_found_only_while_its_process_runs_and_withdrawn_on_dispose()
    {
        var database = Path.Combine(_directory, "data", "warehouse.duckdb");
        Assert.Equal(database, DuckDb.ServingHolder.DatabaseOf(new DuckDbWarehouseSettings("data/warehouse.duckdb"), _directory));
        Assert.Null(DuckDb.ServingHolder.DatabaseOf(new DuckDbWarehouseSettings(":memory:"), _directory));
        Assert.Null(DuckDb.ServingHolder.Find(database));

        using (DuckDb.ServingHolder.Announce(database, new Uri("http://127.0.0.1:8123/")))
        {
            var holder = DuckDb.ServingHolder.Find(database);
            Assert.NotNull(holder);
            Assert.True(holder.IsThisProcess);
            Assert.Equal($"sluice serve (pid {Environment.ProcessId}, http://127.0.0.1:8123)", holder.ToString());
        }

        Assert.False(File.Exists(DuckDb.ServingHolder.FileOf(database)));

        // Left by a process that has exited: ignored.
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        await File.WriteAllTextAsync(DuckDb.ServingHolder.FileOf(database), """{"pid": 2147483000, "url": "http://127.0.0.1:1", "started_at": "2026-01-01T00:00:00Z"}""");
        Assert.Null(DuckDb.ServingHolder.Find(database));
        await File.WriteAllTextAsync(DuckDb.ServingHolder.FileOf(database), "not json");
        Assert.Null(DuckDb.ServingHolder.Find(database));
    }
}
