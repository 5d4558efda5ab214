using System.Globalization;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Operate.Retention;
using Sluice.Testing;
using Sluice.Warehouses;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Tests.Retention;

/// <summary>
/// What a prune deletes and keeps, the same on every warehouse: each engine's class inherits
/// these tests. Every test has a warehouse of its own with <see cref="HistoryRows"/> written.
/// </summary>
public abstract class PrunerTests : IAsyncLifetime
{
    private static readonly string[] StateTables = ["sync_state", "csv_files", "rollups", "schedules", "alert_states", "schema_version"];

    private readonly HistoryRows _rows = new();

    protected string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sluice-prune-").FullName;

    private IWarehouse _warehouse = null!;

    private IWarehouseSession _session = null!;

    /// <summary>Settings of an empty warehouse of the engine under test.</summary>
    protected abstract Task<WarehouseSettings> WarehouseAsync();

    /// <summary>Stops what <see cref="WarehouseAsync"/> started, if anything.</summary>
    protected virtual ValueTask DisposeEngineAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync()
    {
        _warehouse = WarehouseFactory.Create(await WarehouseAsync(), Directory);
        _session = await _warehouse.OpenSessionAsync();
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        await _warehouse.DisposeAsync();
        await DisposeEngineAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    [Fact]
    public async Task Old_history_is_deleted_and_rows_read_as_state_are_kept_whatever_their_age()
    {
        await WriteAsync();
        var state = await CountsAsync(StateTables);

        var pruned = await Pruner.PruneAsync(_session, RetentionPolicy.Standard, HistoryRows.Now, CancellationToken.None);

        Assert.Equal(HistoryTables.All.Select(t => t.Name), pruned.Select(p => p.Table));
        foreach (var table in pruned)
        {
            Assert.Equal(_rows.Kept(table.Table), await HistoryRows.LeftAsync(_session, table.Table));
            Assert.Equal(_rows.Deleted(table.Table), table.Rows);
            Assert.Equal(HistoryRows.Now.AddDays(-90), table.Cutoff);
            Assert.Equal(TimeSpan.FromDays(90), table.Limit);
        }

        Assert.Equal(state, await CountsAsync(StateTables));
    }

    [Fact]
    public async Task Pruning_again_at_the_same_time_deletes_nothing()
    {
        await WriteAsync();
        var first = await Pruner.PruneAsync(_session, RetentionPolicy.Standard, HistoryRows.Now, CancellationToken.None);
        var left = await CountsAsync(HistoryTables.All.Select(t => t.Name));

        var second = await Pruner.PruneAsync(_session, RetentionPolicy.Standard, HistoryRows.Now, CancellationToken.None);

        Assert.True(first.Sum(p => p.Rows) > 0);
        Assert.All(second, p => Assert.Equal(0, p.Rows));
        Assert.Equal(left, await CountsAsync(HistoryTables.All.Select(t => t.Name)));
    }

    [Fact]
    public async Task A_dry_run_counts_what_a_prune_deletes_and_deletes_nothing()
    {
        await WriteAsync();
        var before = await CountsAsync(HistoryTables.All.Select(t => t.Name));

        var preview = await Pruner.PreviewAsync(_session, RetentionPolicy.Standard, HistoryRows.Now, CancellationToken.None);

        Assert.Equal(before, await CountsAsync(HistoryTables.All.Select(t => t.Name)));
        Assert.Equal(HistoryTables.All.Select(t => _rows.Deleted(t.Name)), preview.Select(p => p.Rows));
        var pruned = await Pruner.PruneAsync(_session, RetentionPolicy.Standard, HistoryRows.Now, CancellationToken.None);
        Assert.Equal(preview, pruned);
    }

    [Fact]
    public async Task Tables_kept_forever_are_untouched_and_a_table_limit_wins_over_the_default()
    {
        await WriteAsync();
        var policy = new RetentionPolicy(null, new Dictionary<string, TimeSpan?> { ["alert_events"] = TimeSpan.FromDays(5), ["job_runs"] = null });
        var before = await CountsAsync(HistoryTables.All.Select(t => t.Name));

        var pruned = await Pruner.PruneAsync(_session, policy, HistoryRows.Now, CancellationToken.None);

        // With 5 days, the event of 10 days ago goes too.
        var events = Assert.Single(pruned, p => p.Rows > 0);
        Assert.Equal(("alert_events", 2L, HistoryRows.Now.AddDays(-5)), (events.Table, events.Rows, events.Cutoff));
        Assert.Empty(await HistoryRows.LeftAsync(_session, "alert_events"));
        Assert.All(pruned.Where(p => p.Table != "alert_events"), p => Assert.Equal((null, null, 0L), (p.Limit, p.Cutoff, p.Rows)));
        Assert.Equal(before.Where(b => b.Key != "alert_events"), (await CountsAsync(HistoryTables.All.Select(t => t.Name))).Where(b => b.Key != "alert_events"));
    }

    [Fact]
    public async Task A_warehouse_without_the_sluice_schema_has_nothing_to_prune_and_is_left_as_it_was()
    {
        var pruned = await Pruner.PruneAsync(_session, RetentionPolicy.Standard, HistoryRows.Now, CancellationToken.None);

        Assert.Equal(HistoryTables.All.Count, pruned.Count);
        Assert.All(pruned, p => Assert.Equal(0, p.Rows));
        Assert.Equal(0, await MetadataSchema.GetVersionAsync(_session));
    }

    private async Task WriteAsync()
    {
        await MetadataSchema.MigrateAsync(_session);
        await _rows.WriteAsync(_session);
        await HistoryRows.WriteStateAsync(_session);
    }

    private async Task<Dictionary<string, long>> CountsAsync(IEnumerable<string> tables)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            counts[table] = Convert.ToInt64(await _session.ScalarAsync($"select count(*) from _sluice.{table}"), CultureInfo.InvariantCulture);
        }

        return counts;
    }
}

public sealed class DuckDbPrunerTests : PrunerTests
{
    protected override Task<WarehouseSettings> WarehouseAsync() => Task.FromResult<WarehouseSettings>(new DuckDbWarehouseSettings("warehouse.duckdb"));
}

public sealed class PostgresPrunerTests : PrunerTests
{
    protected override async Task<WarehouseSettings> WarehouseAsync()
    {
        var server = await PostgresServer.GetAsync();
        return new PostgresWarehouseSettings(await server.CreateDatabaseAsync("prune"));
    }
}
