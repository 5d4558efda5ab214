using Sluice.Models.Materialize;
using Sluice.Testing;

namespace Sluice.Models.Tests;

/// <summary>
/// A dbt project in ClickHouse's SQL (Projects/clickhouse_shop) built on a ClickHouse server:
/// seed, view, table, merge-incremental and day-partitioned models, each checked against SQL
/// on the seed tables.
/// </summary>
public class ClickHouseProjectTests : ShopProjectTestBase
{
    private const string Sales = "select id, customer_id, amount, order_date from chshop.orders where status in ('paid', 'shipped')";

    private IAsyncDisposable? _servers;

    protected override string TemplateName => "clickhouse_shop";

    /// <summary>True to start a 2-shard cluster instead of one server.</summary>
    protected virtual bool Sharded => false;

    protected override async Task<string?> ProfilesAsync()
    {
        // Schemas are ClickHouse databases, shared by everything on a server: a server per test.
        if (Sharded)
        {
            var cluster = await ClickHouseCluster.StartAsync();
            _servers = cluster;
            return await cluster.DbtProfilesAsync("chshop", "chshop");
        }

        var server = await ClickHouseServer.StartPrivateAsync();
        _servers = server;
        return await server.DbtProfilesAsync("chshop", "chshop");
    }

    protected override async ValueTask DisposeWarehouseEngineAsync()
    {
        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_model_builds_and_equals_sql_on_the_seeds()
    {
        AssertAllSucceeded(await BuildAllAsync());

        Assert.Equal(RelationKind.View, await Relations.KindAsync(Session, new("chshop", "stg_orders"), CancellationToken.None));
        Assert.Equal(RelationKind.Table, await Relations.KindAsync(Session, new("chshop", "dim_customers"), CancellationToken.None));
        Assert.Equal(
            await RowsAsync($"select c.id, c.name, c.country, s.n, s.total from (select * from chshop.customers) as c all inner join (select customer_id, count() as n, sum(amount) as total from ({Sales}) group by customer_id) as s on s.customer_id = c.id order by c.id"),
            await RowsAsync("select customer_id, name, country, orders, revenue from chshop.dim_customers order by customer_id"));
        Assert.Equal(
            await RowsAsync($"select id, customer_id, amount, order_date from ({Sales}) order by id"),
            await RowsAsync("select order_id, customer_id, amount, order_date from chshop.fct_orders order by order_id"));
        Assert.Equal(
            await RowsAsync($"select order_date, count(), sum(amount) from ({Sales}) group by order_date order by order_date"),
            await RowsAsync("select order_date, orders, revenue from chshop.fct_daily_revenue order by order_date"));
        Assert.Equal(0L, await CountAsync("select count() from system.tables where database = 'chshop' and name like '%sluice%'"));
    }

    [Fact]
    public async Task A_second_build_merges_changed_orders_and_a_forced_day_is_rebuilt_alone()
    {
        AssertAllSucceeded(await BuildAllAsync());
        var seed = File.ReadAllLines(Path.Combine(ProjectDirectory, "seeds", "orders.csv")).Skip(1).ToList();
        var firstDay = seed.Select(l => l.Split(',')[4]).Min()!;

        // Order 1 changes amount; a new order arrives on the first day.
        var changed = seed.Select(l => l.StartsWith("1,", StringComparison.Ordinal) ? $"1,1,99.99,paid,{l.Split(',')[4]},2025-03-02 00:00:00" : l).ToList();
        changed.Add($"100,2,7.00,paid,{firstDay},2025-03-01 00:00:00");
        await ReseedAsync("orders", [.. changed]);

        AssertAllSucceeded(await BuildAsync("fct_orders"));
        Assert.Equal(
            await RowsAsync($"select id, customer_id, amount, order_date from ({Sales}) order by id"),
            await RowsAsync("select order_id, customer_id, amount, order_date from chshop.fct_orders order by order_id"));

        // Built days are left alone until forced; forcing the first day rebuilds it and only it.
        var before = await RowsAsync("select order_date, orders, revenue from chshop.fct_daily_revenue order by order_date");
        AssertAllSucceeded(await BuildAsync("fct_daily_revenue"));
        Assert.Equal(before, await RowsAsync("select order_date, orders, revenue from chshop.fct_daily_revenue order by order_date"));

        var next = DateOnly.Parse(firstDay, System.Globalization.CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        AssertAllSucceeded(await BuildAsync("fct_daily_revenue", force: true, from: firstDay, to: firstDay));
        Assert.Equal(
            await RowsAsync($"select order_date, count(), sum(amount) from ({Sales}) where order_date = '{firstDay}' group by order_date"),
            await RowsAsync($"select order_date, orders, revenue from chshop.fct_daily_revenue where order_date = '{firstDay}'"));
        Assert.Equal(
            before.Where(r => !r.StartsWith(firstDay, StringComparison.Ordinal)).ToList(),
            await RowsAsync($"select order_date, orders, revenue from chshop.fct_daily_revenue where order_date >= '{next}' order by order_date"));
    }

    // The project has no snapshots, which the base class's build-everything also selects.
    private async Task<IReadOnlyList<Run.NodeResult>> BuildAllAsync() =>
        [.. await BuildAsync("resource_type:seed"), .. await BuildAsync("resource_type:model")];
}

/// <summary>The ClickHouse shop project on a warehouse sharded across a 2-shard cluster.</summary>
public sealed class ClickHouseClusterProjectTests : ClickHouseProjectTests
{
    protected override bool Sharded => true;
}
