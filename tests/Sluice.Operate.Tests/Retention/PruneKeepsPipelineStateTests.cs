using System.Globalization;
using Npgsql;
using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Models.Run;
using Sluice.Models.State;
using Sluice.Operate.Retention;
using Sluice.Sync.Engine;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Operate.Tests.Retention;

/// <summary>
/// A prune that finds all of a real pipeline's history old changes nothing the pipeline does
/// next: the sync stays incremental from its watermark, built partitions are not built again by
/// a build or a backfill, and status reports the same standing. Runs on DuckDB and PostgreSQL.
/// </summary>
public abstract class PruneKeepsPipelineStateTests : IAsyncLifetime
{
    private static readonly DateOnly First = new(2025, 1, 1);

    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-prune-pipeline-").FullName;
    private string _source = string.Empty;
    private IWarehouse _warehouse = null!;

    /// <summary>The warehouse section of sluice.yml.</summary>
    protected abstract Task<string> WarehouseYamlAsync();

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync();
        var url = await server.CreateDatabaseAsync("prune_source");
        _source = server.ConnectionString(url[(url.LastIndexOf('/') + 1)..]);
        await SourceAsync("""
            create table orders (id bigint primary key, order_date date not null, amount int not null, updated_at timestamptz not null);
            insert into orders select g, date '2025-01-01' + (g % 5), g, timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute' from generate_series(1, 100) g;
            """);
        File.WriteAllText(Path.Combine(_directory, SluiceProject.FileName), $"""
            name: prune_pipeline
            {await WarehouseYamlAsync()}
            sources:
              - name: app
                type: postgres
                url: {url}
                tables:
                  - name: orders
                    primary_key: [id]
                    cursor: updated_at
            """);
        Directory.CreateDirectory(Path.Combine(_directory, "models"));
        File.WriteAllText(Path.Combine(_directory, "models", "daily_orders.sql"), """
            {{ config(materialized='incremental', partition_by='order_date') }}
            select order_date, count(*) as orders, sum(amount) as amount
            from {{ source('app', 'orders') }}
            where order_date >= '{{ partition_start }}' and order_date < '{{ partition_end }}'
            group by order_date
            """);
        _warehouse = WarehouseFactory.Create(ProjectLoader.Load(_directory).Warehouse, _directory);
    }

    /// <summary>Stops what <see cref="WarehouseYamlAsync"/> started, if anything.</summary>
    protected virtual ValueTask DisposeEngineAsync() => ValueTask.CompletedTask;

    public async Task DisposeAsync()
    {
        await _warehouse.DisposeAsync();
        await DisposeEngineAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task After_a_prune_the_sync_stays_incremental_built_partitions_stay_built_and_status_is_unchanged()
    {
        var first = await SyncAsync();

        // ClickHouse 18.16 keeps times to the second: a build started in the second the first
        // sync ended might have read before or after it, so that sync would be kept as going.
        var ended = DateTime.UtcNow;
        while (DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond == ended.Ticks / TimeSpan.TicksPerSecond)
        {
            await Task.Delay(10);
        }

        var second = await SyncAsync();
        Assert.Equal((100L, 0L), (first.RowsRead, second.RowsRead));
        Assert.Equal(5, (await BuildAsync(First, First.AddDays(4))).PartitionsBuilt);
        Assert.Equal(5, (await BuildAsync(First, First.AddDays(4), force: true)).PartitionsBuilt);
        var before = await StatusAsync();

        // A year on, every row is older than the limit: what goes is the first sync's run and the
        // first build's partition runs; their newer twins are state.
        IReadOnlyList<PrunedTable> pruned;
        await using (var session = await _warehouse.OpenSessionAsync())
        {
            pruned = await Pruner.PruneAsync(session, RetentionPolicy.Standard, DateTimeOffset.UtcNow.AddDays(365), CancellationToken.None);
        }

        Assert.Equal(5, pruned.Single(p => p.Table == "job_runs").Rows);
        Assert.Equal(1, pruned.Single(p => p.Table == "sync_runs").Rows);
        Assert.Equal(5, await CountAsync("select count(*) from _sluice.job_runs"));
        Assert.Equal(before, await StatusAsync());

        // The sync reads only the new rows, from the watermark it had.
        await SourceAsync("insert into orders select g, date '2025-01-06', g, timestamptz '2025-02-01 00:00:00+00' + g * interval '1 minute' from generate_series(101, 110) g");
        var third = await SyncAsync();
        Assert.Equal(("incremental", second.WatermarkAfter, 10L), (third.Mode, third.WatermarkBefore, third.RowsRead));

        // A build of the range builds nothing; a backfill over a wider one builds only the new days.
        var build = await BuildAsync(First, First.AddDays(4));
        Assert.Equal((JobStatus.Success, 0, 5), (build.Status, build.PartitionsBuilt, build.PartitionsSkipped));
        var backfill = await BuildAsync(First, First.AddDays(6), concurrency: 2);
        Assert.Equal(["2025-01-06", "2025-01-07"], backfill.Built!.Select(p => p.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal));
        Assert.Equal(110, await CountAsync($"select cast(sum(orders) as bigint) from {ProjectLoader.Load(_directory).DefaultSchema}.daily_orders"));
    }

    private async Task<TableSyncResult> SyncAsync()
    {
        var results = await new SyncRunner(ProjectLoader.Load(_directory), _warehouse, NullSyncObserver.Instance).RunAsync(new SyncOptions(), CancellationToken.None);
        var result = Assert.Single(results);
        Assert.Equal(SyncStatus.Success, result.Status);
        return result;
    }

    private async Task<NodeResult> BuildAsync(DateOnly from, DateOnly to, bool force = false, int concurrency = 1)
    {
        var project = ProjectParser.Parse(ProjectLoader.Load(_directory));
        var options = new RunOptions { From = from, To = to, Force = force, PartitionConcurrency = concurrency };
        var result = Assert.Single(await new ModelRunner(project, _warehouse).RunAsync(NodeSelector.Select(project.Graph, ["daily_orders"], []), options, new SilentRun(), CancellationToken.None));
        Assert.True(result.Status == JobStatus.Success, result.Error);
        return result;
    }

    // What status shows of the model: its last run and last success, and the partitions missing.
    private async Task<string> StatusAsync()
    {
        var project = ProjectParser.Parse(ProjectLoader.Load(_directory));
        await using var session = await _warehouse.OpenSessionAsync();
        var report = await RunHistory.ReadAsync(session, project, new HashSet<string> { "daily_orders" }, DateTimeOffset.UtcNow.AddYears(-1), First, First.AddDays(4), CancellationToken.None);
        var model = Assert.Single(report.Resources);
        return $"{model.LastRun?.Id}|{model.LastSuccess?.Id}|{model.MissingPartitions.Count}|{model.NeedsAttention}";
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var session = await _warehouse.OpenSessionAsync();
        return Convert.ToInt64(await session.ScalarAsync(sql), CultureInfo.InvariantCulture);
    }

    private async Task SourceAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_source);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class DuckDbPruneKeepsPipelineStateTests : PruneKeepsPipelineStateTests
{
    protected override Task<string> WarehouseYamlAsync() => Task.FromResult("warehouse:\n  type: duckdb\n  path: warehouse.duckdb");
}

public sealed class PostgresPruneKeepsPipelineStateTests : PruneKeepsPipelineStateTests
{
    protected override async Task<string> WarehouseYamlAsync()
    {
        var server = await PostgresServer.GetAsync();
        return $"warehouse:\n  type: postgres\n  url: {await server.CreateDatabaseAsync("prune_warehouse")}";
    }
}
