using System.Globalization;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Testing;

namespace Sluice.Warehouses.Tests;

public sealed class ClickHouseWarehouseTests : WarehouseConformanceTests
{
    private static readonly TableName Events = new("raw", "events");

    private ClickHouseServer? _server;

    protected override bool HasTransactions => false;

    protected override string? SetNewYorkTimeZoneSql => null;

    protected override string FailingHalfwaySql => "select toInt32(if(number < 50000, '1', 'x')) as v from system.numbers limit 100000";

    protected override string SyntaxErrorAtX => "syntax error";

    protected override async Task<IWarehouse> CreateWarehouseAsync()
    {
        // Schemas are ClickHouse databases, shared by everything on a server: a server per test.
        _server = await ClickHouseServer.StartPrivateAsync();
        return WarehouseFactory.Create(new ClickHouseWarehouseSettings(await _server.CreateDatabaseAsync("conformance")), "/");
    }

    protected override async ValueTask DisposeEngineAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_load_larger_than_one_block_goes_through_a_scratch_table_whose_partitions_are_attached_whole()
    {
        // A few kilobytes stand for the hundreds of megabytes past which the server is spared one block.
        ((Sluice.Warehouses.ClickHouse.ClickHouseWarehouse)Warehouse).OneBlockLoadBytes = 4096;
        await Session.CreateSchemaAsync("raw");
        await Session.CreateTableAsync(Events, [new ColumnSpec("id", ColumnType.BigInt), new ColumnSpec("name", ColumnType.Text)]);
        await Session.ExecuteAsync("create table raw.by_month (day Date, amount Int64) engine = MergeTree partition by toYYYYMM(day) order by day");
        var byMonth = new TableName("raw", "by_month");

        Assert.Equal(20_000, await Session.BulkLoadAsync(Events, ["id", "name"], Rows.Generate(20_000, i => [(long)i, $"event {i}"])));
        Assert.Equal(9_000, await Session.BulkLoadAsync(byMonth, ["day", "amount"], Rows.Generate(9_000, i => [new DateOnly(2026, 1, 1).AddDays(i % 90), (long)i])));

        Assert.Equal(20_000, await CountAsync(Events));
        Assert.Equal(Enumerable.Range(0, 20_000).Sum(i => (long)i), Convert.ToInt64(await Session.ScalarAsync("select sum(id) from raw.events"), CultureInfo.InvariantCulture));
        var expected = Enumerable.Range(0, 9_000).GroupBy(i => new DateOnly(2026, 1, 1).AddDays(i % 90).ToString("yyyyMM", CultureInfo.InvariantCulture))
            .Select(g => $"{g.Key} {g.Count()} {g.Sum(i => (long)i)}");
        var months = new List<string>();
        await using (var reader = await Session.QueryAsync("select toYYYYMM(day), count(), sum(amount) from raw.by_month group by toYYYYMM(day) order by toYYYYMM(day)"))
        {
            while (await reader.ReadAsync())
            {
                months.Add(FormattableString.Invariant($"{reader.GetValue(0)} {reader.GetValue(1)} {reader.GetValue(2)}"));
            }
        }

        Assert.Equal(expected, months);
        Assert.Equal(0L, Convert.ToInt64(await Session.ScalarAsync("select count() from system.tables where database = 'raw' and name like '%sluice_load%'"), CultureInfo.InvariantCulture));

        // A producer that fails sends nothing: the table keeps its rows and no scratch is left.
        await Assert.ThrowsAnyAsync<Exception>(() => Session.BulkLoadAsync(Events, ["id", "name"], Rows.FailingAfter(10_000, i => [(long)i, "late"])));
        Assert.Equal(20_000, await CountAsync(Events));
        Assert.Equal(0L, Convert.ToInt64(await Session.ScalarAsync("select count() from system.tables where database = 'raw' and name like '%sluice_load%'"), CultureInfo.InvariantCulture));
    }

    // ClickHouse has no sequences; a query that reads a table stands for one that could act.
    [Fact]
    public override async Task The_syntax_check_runs_nothing_and_refuses_a_second_statement()
    {
        await Session.CreateTableAsync(Events, [new ColumnSpec("id", ColumnType.BigInt)]);
        await using var check = await Warehouse.OpenSyntaxCheckAsync();

        Assert.Null(await check.CheckAsync("select count() from raw.events"));
        var error = await check.CheckAsync("select 1; drop table raw.events");

        Assert.NotNull(error);
        Assert.NotNull(await Session.DescribeTableAsync(Events));
    }

    [Fact]
    public async Task Uuid_parameters_match_in_comparisons_in_lists_and_inserts()
    {
        var (first, second, third) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await Session.CreateTableAsync(Events, [new ColumnSpec("id", ColumnType.Uuid), new ColumnSpec("n", ColumnType.BigInt)]);
        await Session.ExecuteAsync($"insert into {Warehouse.Dialect.Quote(Events)} (id, n) values ($1, 1), ($2, 2), ($3, 3)", [first, second, third]);

        Assert.Equal(2L, Convert.ToInt64(await Session.ScalarAsync($"select n from {Warehouse.Dialect.Quote(Events)} where id = $1", [second]), CultureInfo.InvariantCulture));
        Assert.Equal(4L, Convert.ToInt64(await Session.ScalarAsync($"select sum(n) from {Warehouse.Dialect.Quote(Events)} where id in ($1, $2)", [first, third]), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_unreachable_server_is_a_clear_error_without_the_password()
    {
        await using var warehouse = WarehouseFactory.Create(new ClickHouseWarehouseSettings("http://sluice:s3cret@127.0.0.1:1/analytics"), "/");
        await using var session = await warehouse.OpenSessionAsync();
        var error = await Assert.ThrowsAsync<WarehouseException>(() => session.ScalarAsync("select 1"));
        Assert.True(error.IsConnectionFailure);
        Assert.Contains("127.0.0.1", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.DoesNotContain("s3cret", warehouse.DisplayLocation);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_as_a_login_error()
    {
        var url = new UriBuilder(await _server!.CreateDatabaseAsync("login")) { Password = "n0t-Th3-Pa55" }.Uri.ToString();
        await using var warehouse = WarehouseFactory.Create(new ClickHouseWarehouseSettings(url), "/");
        await using var session = await warehouse.OpenSessionAsync();
        var error = await Assert.ThrowsAsync<WarehouseException>(() => session.ScalarAsync("select 1"));
        Assert.True(error.IsLoginRefused, error.Message);
        Assert.DoesNotContain("n0t-Th3-Pa55", error.Message);
    }

    [Fact]
    public async Task Parameters_become_literals_that_keep_quotes_backslashes_and_types()
    {
        await using var reader = await Session.QueryAsync(
            "select $1 as text, $2 as day, $3 as amount, $4 as flag, '$1 stays' as kept",
            ["it's a \\ test", new DateOnly(2024, 2, 29), 12.5m, true]);
        Assert.True(await reader.ReadAsync());
        Assert.Equal("it's a \\ test", reader.GetString(0));
        Assert.Equal(new DateOnly(2024, 2, 29), reader.GetFieldValue<DateOnly>(1));
        Assert.Equal(12.5m, reader.GetDecimal(2));
        Assert.True(reader.GetBoolean(3));
        Assert.Equal("$1 stays", reader.GetString(4));
    }

    [Fact]
    public async Task A_partition_replace_on_a_month_partitioned_table_keeps_the_rest_of_the_month()
    {
        await Session.ExecuteAsync("create table raw.monthly (id Int64, day Date) engine = MergeTree() partition by toYYYYMM(day) order by id");
        var table = new TableName("raw", "monthly");
        await Session.BulkLoadAsync(table, ["id", "day"], Rows.Generate(60, i => [(long)i, new DateOnly(2024, 1, 1).AddDays(i)]));

        var range = new PartitionRange("day", new DateOnly(2024, 1, 10), new DateOnly(2024, 1, 11));
        await Session.ReplacePartitionAsync(table, range, ["id", "day"], Rows.Of([100L, new DateOnly(2024, 1, 10)], [101L, new DateOnly(2024, 1, 10)]));
        await Session.ReplacePartitionAsync(table, new PartitionRange("day", new DateOnly(2024, 2, 1), new DateOnly(2024, 3, 1)), ["id", "day"], Rows.Of());

        Assert.Equal(31L - 1 + 2, await CountAsync(table, "toYYYYMM(day) = 202401"));
        Assert.Equal(2L, await CountAsync(table, "day = '2024-01-10'"));
        Assert.Equal(0L, await CountAsync(table, "toYYYYMM(day) = 202402"));
        Assert.Equal(0L, Convert.ToInt64(await Session.ScalarAsync("select count() from system.tables where database = 'raw' and name like '%sluice%'")));
    }

    [Fact]
    public async Task The_words_of_the_shared_dialect_and_scripts_with_quoted_semicolons_run_as_written()
    {
        await Session.CreateTableAsync(Events, [new ColumnSpec("id", ColumnType.BigInt, nullable: false), new ColumnSpec("name", ColumnType.Text), new ColumnSpec("day", ColumnType.Date)]);
        await Session.ExecuteAsync("""
            -- a comment; with a semicolon
            insert into raw.events values (1, 'a;b', date '2024-01-02');
            /* another; */ insert into raw.events values (2, 'it''s', current_date);
            -- the update below is a mutation
            update raw.events set name = 'changed' where id = 2 and true;
            """);

        // current_date is the UTC day of the insert, at most a day before the query's.
        await using var reader = await Session.QueryAsync("select name, day, day >= toDate(now(), 'UTC') - 1, true, false from raw.events order by id");
        Assert.True(await reader.ReadAsync());
        Assert.Equal("a;b", reader.GetString(0));
        Assert.Equal(new DateOnly(2024, 1, 2), reader.GetFieldValue<DateOnly>(1));
        Assert.Equal(1L, reader.GetInt64(3));
        Assert.Equal(0L, reader.GetInt64(4));
        Assert.True(await reader.ReadAsync());
        Assert.Equal("changed", reader.GetString(0));
        Assert.True(reader.GetBoolean(2));
    }

    [Fact]
    public async Task Times_come_out_in_utc_whatever_the_servers_time_zone()
    {
        await using var berlin = await ClickHouseServer.StartPrivateAsync("Europe/Berlin");
        await using var warehouse = WarehouseFactory.Create(new ClickHouseWarehouseSettings(await berlin.CreateDatabaseAsync("zones")), "/");
        await using var session = await warehouse.OpenSessionAsync();
        await session.CreateSchemaAsync("raw");
        var table = new TableName("raw", "stamps");
        await session.CreateTableAsync(table, [new ColumnSpec("id", ColumnType.BigInt), new ColumnSpec("at", ColumnType.TimestampTz)]);
        var instant = new DateTime(2024, 7, 1, 22, 30, 0, DateTimeKind.Utc);
        await session.BulkLoadAsync(table, ["id", "at"], Rows.Of([1L, instant]));

        await using var reader = await session.QueryAsync(
            "select at, toDateTime(at, 'Europe/Berlin'), toDateTime(toUInt32(at)), timestamp '2024-07-01 22:30:00' = at, toDate(at) from raw.stamps");
        Assert.True(await reader.ReadAsync());
        Assert.Equal(instant, reader.GetDateTime(0));
        Assert.Equal(instant, reader.GetDateTime(1));
        Assert.Equal(instant, reader.GetDateTime(2));
        Assert.True(reader.GetBoolean(3));
        Assert.Equal(new DateOnly(2024, 7, 1), reader.GetFieldValue<DateOnly>(4));
    }

    [Fact]
    public async Task A_date_past_2105_is_refused_naming_the_column_and_nothing_is_loaded()
    {
        await Session.CreateTableAsync(Events, [new ColumnSpec("id", ColumnType.BigInt), new ColumnSpec("due", ColumnType.Date)]);

        var error = await Assert.ThrowsAsync<WarehouseException>(() =>
            Session.BulkLoadAsync(Events, ["id", "due"], Rows.Of([1L, new DateOnly(2105, 12, 31)], [2L, new DateOnly(2106, 1, 1)])));

        Assert.Contains("raw.events.due", error.Message);
        Assert.Contains("2106-01-01", error.Message);
        Assert.Contains("2105-12-31", error.Message);
        Assert.Equal(0L, await CountAsync(Events));
    }
}
