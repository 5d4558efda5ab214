using System.Globalization;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Testing;

namespace Sluice.Warehouses.Tests;

/// <summary>
/// The conformance suite on a warehouse sharded across a 2-shard cluster of two throwaway
/// ClickHouse servers, and what is particular to one: rows spread over both shards, DDL on
/// both servers, state on the URL's server only.
/// </summary>
public sealed class ClickHouseClusterWarehouseTests : WarehouseConformanceTests
{
    private static readonly TableName Events = new("raw", "events");

    private ClickHouseCluster? _cluster;
    private string _database = string.Empty;

    protected override bool HasTransactions => false;

    protected override string? SetNewYorkTimeZoneSql => null;

    protected override string FailingHalfwaySql => "select toInt32(if(number < 50000, '1', 'x')) as v from system.numbers limit 100000";

    protected override string SyntaxErrorAtX => "syntax error";

    private ClickHouseCluster Cluster => _cluster!;

    protected override async Task<IWarehouse> CreateWarehouseAsync()
    {
        _cluster = await ClickHouseCluster.StartAsync();
        _database = "conformance";
        await _cluster.CreateDatabaseAsync(_database);
        return WarehouseFactory.Create(_cluster.Settings(_database), "/");
    }

    protected override async ValueTask DisposeEngineAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public override async Task The_syntax_check_runs_nothing_and_refuses_a_second_statement()
    {
        await Session.CreateTableAsync(Events, [new ColumnSpec("id", ColumnType.BigInt)]);
        await using var check = await Warehouse.OpenSyntaxCheckAsync();

        Assert.Null(await check.CheckAsync("select count() from raw.events"));
        Assert.NotNull(await check.CheckAsync("select 1; drop table raw.events"));
        Assert.NotNull(await Session.DescribeTableAsync(Events));
    }

    [Fact]
    public async Task Loaded_rows_are_spread_over_both_shards_and_read_whole_from_either_server()
    {
        await Session.CreateSchemaAsync("raw");
        await Session.CreateTableAsync(Events, [new ColumnSpec("id", ColumnType.BigInt), new ColumnSpec("g", ColumnType.Text)]);
        await Session.BulkLoadAsync(Events, ["id", "g"], Rows.Of([.. Enumerable.Range(1, 1000).Select(i => new object?[] { (long)i, (i % 7).ToString(CultureInfo.InvariantCulture) })]));

        var shards = await Cluster.ShardRowsAsync("raw", "events");
        Assert.Equal(1000, shards.Sum());
        Assert.All(shards, n => Assert.InRange(n, 300, 700));
        foreach (var server in Cluster.Servers)
        {
            Assert.Equal("1000\t500500", (await server.QueryAsync("select count(), sum(id) from raw.events")).Trim());
        }

        Assert.Equal([Events], await Session.ListTablesAsync("raw"));
    }

    [Fact]
    public async Task A_table_built_from_a_query_is_sharded_and_swapped_in_with_new_columns_on_every_server()
    {
        await Session.CreateSchemaAsync("raw");
        await Session.CreateTableAsync(Events, [new ColumnSpec("id", ColumnType.BigInt)]);
        await Session.BulkLoadAsync(Events, ["id"], Rows.Of([.. Enumerable.Range(1, 400).Select(i => new object?[] { (long)i })]));
        var dialect = Warehouse.Dialect;
        var doubled = new TableName("raw", "doubled");
        var building = new TableName("raw", "doubled__build");
        await Session.ExecuteAsync(dialect.CreateTableAs(dialect.Quote(doubled), "select id, id * 2 as twice from raw.events"));
        await Session.ExecuteAsync(dialect.CreateTableAs(dialect.Quote(building), "select id, id * 3 as thrice, 'x' as tag from raw.events where id <= 100"));

        await Session.ExecuteAsync($"rename table {dialect.Quote(doubled)} to raw.doubled__old, {dialect.Quote(building)} to {dialect.Quote(doubled)}");
        await Session.DropTableAsync(new TableName("raw", "doubled__old"));

        Assert.Equal(["id", "thrice", "tag"], (await Session.DescribeTableAsync(doubled))!.Columns.Select(c => c.Name));
        foreach (var server in Cluster.Servers)
        {
            Assert.Equal("100\t15150", (await server.QueryAsync("select count(), sum(thrice) from raw.doubled")).Trim());
            Assert.Equal(string.Empty, (await server.QueryAsync("select name from system.tables where database = 'raw' and name like 'doubled\\\\_\\\\_%' and name != 'doubled__shard'")).Trim());
        }

        Assert.All(await Cluster.ShardRowsAsync("raw", "doubled"), n => Assert.InRange(n, 1, 99));
    }

    [Fact]
    public async Task A_partition_replace_and_a_delete_act_on_each_shard_and_a_rerun_changes_nothing()
    {
        var table = new TableName("raw", "days");
        await Session.CreateSchemaAsync("raw");
        await Session.ExecuteAsync("create table raw.days (id Int64, day Date) engine = MergeTree() partition by toYYYYMM(day) order by id");
        await Session.BulkLoadAsync(table, ["id", "day"], Rows.Of([.. Enumerable.Range(0, 300).Select(i => new object?[] { (long)i, new DateOnly(2024, 1, 1).AddDays(i % 90) })]));
        var january = new PartitionRange("day", new DateOnly(2024, 1, 1), new DateOnly(2024, 2, 1));
        object?[][] replacement = [.. Enumerable.Range(1000, 50).Select(i => new object?[] { (long)i, new DateOnly(2024, 1, 1 + (i % 31)) })];

        var outside = Enumerable.Range(0, 300).Where(i => i % 90 >= 31).ToList();
        var expected = $"50\t{Enumerable.Range(1000, 50).Sum()}\t{outside.Count}\t{outside.Sum()}";
        for (var run = 0; run < 2; run++)
        {
            await Session.ReplacePartitionAsync(table, january, ["id", "day"], Rows.Of(replacement));
            foreach (var server in Cluster.Servers)
            {
                Assert.Equal(expected, (await server.QueryAsync("select countIf(day < '2024-02-01'), sumIf(id, day < '2024-02-01'), countIf(day >= '2024-02-01'), sumIf(id, day >= '2024-02-01') from raw.days")).Trim());
            }
        }

        var deleted = await Session.ExecuteAsync("delete from raw.days where id >= 1000 and id < 1010");
        Assert.Equal(10, deleted);
        Assert.Equal("40", (await Cluster.Second.QueryAsync("select countIf(id >= 1000) from raw.days")).Trim());
    }

    [Fact]
    public async Task State_lives_on_the_servers_of_the_url_only()
    {
        await Session.CreateSchemaAsync("_sluice");
        await Session.CreateTableAsync(new TableName("_sluice", "probe"), [new ColumnSpec("id", ColumnType.BigInt)]);

        Assert.Equal("MergeTree", (await Cluster.First.QueryAsync("select engine from system.tables where database = '_sluice' and name = 'probe'")).Trim());
        Assert.Equal("0", (await Cluster.Second.QueryAsync("select count() from system.tables where database = '_sluice'")).Trim());
    }

    [Fact]
    public async Task A_cluster_the_server_does_not_know_or_a_wrong_shard_count_is_a_clear_error()
    {
        var wrongName = Cluster.Settings(_database) with { Cluster = "nope" };
        await using (var warehouse = WarehouseFactory.Create(wrongName, "/"))
        await using (var session = await warehouse.OpenSessionAsync())
        {
            var error = await Assert.ThrowsAsync<ConfigurationException>(() => session.CreateSchemaAsync("other"));
            Assert.Contains("warehouse.cluster 'nope' is not a cluster of", error.Message);
            Assert.DoesNotContain(Cluster.First.Password, error.Message);
        }

        var oneShard = Cluster.Settings(_database) with { Shards = [$"http://127.0.0.1:{Cluster.First.HttpPort}"] };
        await using (var warehouse = WarehouseFactory.Create(oneShard, "/"))
        await using (var session = await warehouse.OpenSessionAsync())
        {
            var error = await Assert.ThrowsAsync<ConfigurationException>(() => session.CreateSchemaAsync("other"));
            Assert.Contains("has 2 shard(s)", error.Message);
            Assert.Contains("warehouse.shards lists 1", error.Message);
        }
    }
}
