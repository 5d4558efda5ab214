using Sluice.Models.Materialize;
using Sluice.Testing;

namespace Sluice.Models.Tests;

/// <summary>
/// A dbt project in ClickHouse's SQL (Projects/clickhouse_shop) built on a ClickHouse server:
/// seed, view, table, merge-incremental and day-partitioned models, each checked against SQL
/// on the seed tables, and the MergeTree keys and LowCardinality columns their configs ask for.
/// </summary>
public class ClickHouseProjectTests : ShopProjectTestBase
{
    private const string Sales = "select id, customer_id, amount, order_date from chshop.orders where status in ('paid', 'shipped')";

    private IAsyncDisposable? _servers;

    protected override string TemplateName => "clickhouse_shop";

    /// <summary>True to start a 2-shard cluster instead of one server.</summary>
    protected virtual bool Sharded => false;

    /// <summary>The table that holds a model's rows: on a cluster, its shard-local table.</summary>
    private string Stored(string table) => Sharded ? table + "__shard" : table;

    /// <summary>"partition|part" of each active part of a table, on every server (named in the part on a cluster).</summary>
    private async Task<List<string>> PartsAsync(string table)
    {
        var query = $"select partition_id, name from system.parts where database = 'chshop' and table = '{Stored(table)}' and active order by partition_id, name";
        if (_servers is not ClickHouseCluster cluster)
        {
            return await RowsAsync(query);
        }

        var parts = new List<string>();
        foreach (var (server, i) in cluster.Servers.Select((s, i) => (s, i)))
        {
            parts.AddRange((await server.QueryAsync(query)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Replace("\t", $"|s{i}:", StringComparison.Ordinal)));
        }

        return [.. parts.Order(StringComparer.Ordinal)];
    }

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

    [Fact]
    public async Task A_snapshot_is_refused_in_one_line_and_the_models_still_build()
    {
        Directory.CreateDirectory(Path.Combine(ProjectDirectory, "snapshots"));
        File.WriteAllText(Path.Combine(ProjectDirectory, "snapshots", "customers_snapshot.sql"), """
            {% snapshot customers_snapshot %}
            {{ config(unique_key='id', strategy='check', check_cols=['name']) }}
            select id, name from {{ ref('customers') }}
            {% endsnapshot %}
            """);

        var results = await BuildAsync();

        var snapshot = results.Single(r => r.Name == "customers_snapshot");
        Assert.Equal(State.JobStatus.Failed, snapshot.Status);
        Assert.Contains("snapshots cannot be built on this warehouse yet: ClickHouse 18.16 changes rows by mutation", snapshot.Error);
        Assert.DoesNotContain('\n', snapshot.Error!);
        Assert.All(results.Where(r => r.Name != "customers_snapshot"), r => Assert.Equal(State.JobStatus.Success, r.Status));
        Assert.Equal(0L, await CountAsync("select count() from system.tables where database = 'chshop' and name like 'customers_snapshot%'"));
    }

    [Fact]
    public async Task Model_tables_are_merge_trees_keyed_by_their_configs()
    {
        AssertAllSucceeded(await BuildAllAsync());

        // Nullable columns (the seeds' are) are keys through assumeNotNull: 18.16 refuses them bare.
        Assert.Equal(
            [
                "dim_customers||assumeNotNull(customer_id)",
                "fct_daily_revenue|toYYYYMMDD(assumeNotNull(order_date))|assumeNotNull(order_date)",
                "fct_order_lines|toYYYYMMDD(assumeNotNull(order_date))|assumeNotNull(customer_id), assumeNotNull(order_id)",
                "fct_orders||assumeNotNull(order_id)",
            ],
            await RowsAsync($"select replaceAll(name, '__shard', ''), partition_key, sorting_key from system.tables where database = 'chshop' and engine = 'MergeTree' and name like '%\\_%' and name not in ('{Stored("customers")}', '{Stored("orders")}') order by name"));
        Assert.Equal(
            ["dim_customers|country|LowCardinality(Nullable(String))", "fct_order_lines|status|LowCardinality(Nullable(String))", "fct_orders|status|LowCardinality(Nullable(String))"],
            await RowsAsync("select table, name, type from system.columns where database = 'chshop' and type like 'LowCardinality%' and table not like 'stg%' and table not like '%\\_\\_shard' order by table, name"));

        // A table model is built beside and renamed into place; an incremental one merges into its keyed table.
        var customers = await RowsAsync("select customer_id, name, country, orders, revenue from chshop.dim_customers order by customer_id");
        AssertAllSucceeded(await BuildAsync("dim_customers"));
        Assert.Equal(customers, await RowsAsync("select customer_id, name, country, orders, revenue from chshop.dim_customers order by customer_id"));
        Assert.Equal("assumeNotNull(customer_id)", await ScalarTextAsync($"select sorting_key from system.tables where database = 'chshop' and name = '{Stored("dim_customers")}'"));
        AssertAllSucceeded(await BuildAsync("fct_orders", fullRefresh: true));
        Assert.Equal(
            await RowsAsync($"select id, customer_id, amount, order_date from ({Sales}) order by id"),
            await RowsAsync("select order_id, customer_id, amount, order_date from chshop.fct_orders order by order_id"));
        Assert.Equal("LowCardinality(Nullable(String))", await ScalarTextAsync("select type from system.columns where database = 'chshop' and table = 'fct_orders' and name = 'status'"));
    }

    [Fact]
    public async Task Rebuilding_one_day_swaps_in_that_days_partition_alone_and_again_gives_the_same_rows()
    {
        AssertAllSucceeded(await BuildAllAsync());
        const string Lines = "select order_id, customer_id, status, amount, order_date from chshop.fct_order_lines order by order_id";
        var rows = await RowsAsync(Lines);
        Assert.Equal(await RowsAsync("select id, customer_id, status, amount, order_date from chshop.orders where status in ('paid', 'shipped') order by id"), rows);
        var parts = await PartsAsync("fct_order_lines");
        Assert.Equal(
            await RowsAsync("select distinct toString(toYYYYMMDD(order_date)) as day from chshop.orders where status in ('paid', 'shipped') order by day"),
            parts.Select(p => p.Split('|')[0]).Distinct().ToList());
        var day = parts[1].Split('|')[0];
        var date = $"{day[..4]}-{day[4..6]}-{day[6..]}";

        for (var run = 0; run < 2; run++)
        {
            AssertAllSucceeded(await BuildAsync("fct_order_lines", force: true, from: date, to: date));
            Assert.Equal(rows, await RowsAsync(Lines));
            var now = await PartsAsync("fct_order_lines");
            Assert.Equal(parts.Where(p => !p.StartsWith(day, StringComparison.Ordinal)), now.Where(p => !p.StartsWith(day, StringComparison.Ordinal)));
            Assert.All(parts.Where(p => p.StartsWith(day, StringComparison.Ordinal)), p => Assert.DoesNotContain(p, now));
        }

        // No mutation rewrote the table's parts, and no scratch table is left.
        Assert.Equal(0L, await CountAsync($"select count() from system.mutations where database = 'chshop' and table = '{Stored("fct_order_lines")}'"));
        Assert.Equal(0L, await CountAsync("select count() from system.tables where database = 'chshop' and (name like '%sluice%' or match(name, '__[ps][0-9]{8}(__shard)?$'))"));
    }

    [Fact]
    public async Task A_table_without_the_models_partition_key_is_still_replaced_by_day()
    {
        // A table made before Sluice laid out keys: one partition, which a day's rebuild must not swap whole.
        AssertAllSucceeded(await BuildAllAsync());
        await Session.ExecuteAsync("rename table chshop.fct_order_lines to chshop.fct_order_lines_keyed");
        await Session.ExecuteAsync("create table chshop.fct_order_lines engine = MergeTree() order by tuple() as select * from chshop.fct_order_lines_keyed");
        var rows = await RowsAsync("select order_id, customer_id, status, amount, order_date from chshop.fct_order_lines order by order_id");
        var first = rows[0].Split('|')[4];

        AssertAllSucceeded(await BuildAsync("fct_order_lines", force: true, from: first, to: first));
        Assert.Equal(rows, await RowsAsync("select order_id, customer_id, status, amount, order_date from chshop.fct_order_lines order by order_id"));
    }

    [Theory]
    [InlineData("low_cardinality=['state']", "config 'low_cardinality' names column 'state', which the model's query does not return")]
    [InlineData("low_cardinality=['amount']", "low_cardinality names column 'amount', which is Nullable(Decimal(10, 2)) on ClickHouse")]
    [InlineData("order_by=['order_id', 'day']", "config 'order_by' names column 'day', which the model's query does not return")]
    public async Task A_layout_naming_a_column_the_model_cannot_key_is_a_one_line_error(string config, string expected)
    {
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));
        WriteModel("models/marts/fct_bad.sql", $"{{{{ config(materialized='table', {config}) }}}}\nselect order_id, amount from {{{{ ref('stg_orders') }}}}\n");

        var result = Assert.Single(await BuildAsync("+fct_bad"), r => r.Name == "fct_bad");
        Assert.Equal(State.JobStatus.Failed, result.Status);
        Assert.StartsWith("model 'fct_bad' (models/marts/fct_bad.sql): ", result.Error);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Error!);
    }

    [Theory]
    [InlineData("order_by='toDate(updated_at)'", "config 'order_by' names 'toDate(updated_at)', which is not a column name")]
    [InlineData("engine='ReplacingMergeTree()'", "config 'engine' is 'ReplacingMergeTree()'; Sluice builds a model's ClickHouse table as MergeTree()")]
    public void A_layout_config_that_is_no_column_list_is_a_one_line_error(string config, string expected)
    {
        WriteModel("models/marts/fct_bad.sql", $"{{{{ config(materialized='table', {config}) }}}}\nselect order_id from {{{{ ref('stg_orders') }}}}\n");

        var error = Assert.Throws<Core.Project.ConfigurationException>(() => Parse());
        Assert.StartsWith("models/marts/fct_bad.sql:1:", error.Message);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private async Task<string?> ScalarTextAsync(string sql) => (string?)await Session.ScalarAsync(sql);

    // The project has no snapshots, which the base class's build-everything also selects.
    private async Task<IReadOnlyList<Run.NodeResult>> BuildAllAsync() =>
        [.. await BuildAsync("resource_type:seed"), .. await BuildAsync("resource_type:model")];
}

/// <summary>The ClickHouse shop project on a warehouse sharded across a 2-shard cluster.</summary>
public sealed class ClickHouseClusterProjectTests : ClickHouseProjectTests
{
    protected override bool Sharded => true;
}
