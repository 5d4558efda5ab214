using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Warehouses.Tests;

/// <summary>
/// The behaviour every warehouse adapter must have. Each engine's test class inherits these
/// tests and only says how to create its warehouse.
/// </summary>
public abstract class WarehouseConformanceTests : IAsyncLifetime
{
    private IWarehouse? _warehouse;
    private IWarehouseSession? _session;

    protected IWarehouse Warehouse => _warehouse!;

    protected IWarehouseSession Session => _session!;

    protected abstract Task<IWarehouse> CreateWarehouseAsync();

    public async Task InitializeAsync()
    {
        _warehouse = await CreateWarehouseAsync();
        _session = await _warehouse.OpenSessionAsync();
        await Session.CreateSchemaAsync("raw");
    }

    public async Task DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }

        if (_warehouse is not null)
        {
            await _warehouse.DisposeAsync();
        }

        await DisposeEngineAsync();
    }

    /// <summary>Stops what <see cref="CreateWarehouseAsync"/> started for this test alone.</summary>
    protected virtual ValueTask DisposeEngineAsync() => ValueTask.CompletedTask;

    private static readonly TableName Events = new("raw", "events");

    private static readonly IReadOnlyList<ColumnSpec> EventColumns =
    [
        new("id", ColumnType.BigInt, nullable: false),
        new("day", ColumnType.Date),
        new("name", ColumnType.Text),
        new("amount", ColumnType.Decimal(12, 2)),
    ];

    /// <summary>Whether the engine has transactions with rollback, as its capabilities must say.</summary>
    protected virtual bool HasTransactions => true;

    /// <summary>How the engine sets the session's time zone to New York; null when sessions have none.</summary>
    protected virtual string? SetNewYorkTimeZoneSql => "set timezone = 'America/New_York'";

    /// <summary>A query whose rows fail to convert halfway through a long result.</summary>
    protected virtual string FailingHalfwaySql =>
        "select cast(case when i < 50000 then '1' else 'x' end as integer) as v from generate_series(1, 100000) as t(i)";

    /// <summary>What the engine's parser says about "1 frm x", at the "x".</summary>
    protected virtual string SyntaxErrorAtX => "syntax error at or near \"x\"";

    protected async Task<long> CountAsync(TableName table, string where = "1 = 1") =>
        Convert.ToInt64(await Session.ScalarAsync($"select count(*) from {Warehouse.Dialect.Quote(table)} where {where}"));

    [Fact]
    public void Capabilities_are_stated_as_data()
    {
        Assert.True(Warehouse.Capabilities.PartitionReplace);
        Assert.Equal(HasTransactions, Warehouse.Capabilities.Transactions);
        Assert.True(Warehouse.Capabilities.Transactions || !Warehouse.Capabilities.TransactionalDdl, "DDL cannot be transactional without transactions");
        Assert.Contains(Warehouse.Engine, WarehouseFactory.Engines);
    }

    [Fact]
    public async Task Reports_the_engine_version()
    {
        var version = await Session.GetEngineVersionAsync();
        Assert.Matches(@"^(DuckDB v1\.5|PostgreSQL 1\d|ClickHouse (1[89]|2\d)\.)", version);
    }

    [Fact]
    public async Task Queries_stream_rows_with_positional_parameters()
    {
        await using var reader = await Session.QueryAsync(
            "select x * $1 as doubled, $2 as label from (select 1 as x union all select 2 union all select 3) t order by x",
            [2, "n"]);
        var values = new List<long>();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToInt64(reader.GetValue(0)));
            Assert.Equal("n", reader.GetString(1));
        }

        Assert.Equal([2L, 4L, 6L], values);
    }

    [Fact]
    public async Task A_script_runs_its_statements_in_order()
    {
        await Session.CreateTableAsync(new TableName("raw", "s"), [new ColumnSpec("a", ColumnType.Integer)]);
        await Session.ExecuteAsync("insert into raw.s values (1); insert into raw.s values (2);");
        Assert.Equal(2L, await CountAsync(new TableName("raw", "s")));
    }

    [Fact]
    public async Task Execute_returns_rows_changed()
    {
        await Session.CreateTableAsync(Events, EventColumns);
        await Session.ExecuteAsync("insert into raw.events (id) values (1), (2), (3)");
        Assert.Equal(2, await Session.ExecuteAsync("update raw.events set name = $1 where id >= $2", ["x", 2]));
    }

    [Fact]
    public async Task Tables_are_created_from_column_specs_and_described_back_with_every_type()
    {
        var columns = new List<ColumnSpec>
        {
            new("b", ColumnType.Boolean), new("si", ColumnType.SmallInt), new("i", ColumnType.Integer),
            new("bi", ColumnType.BigInt, nullable: false), new("r", ColumnType.Real), new("d", ColumnType.Double),
            new("dec", ColumnType.Decimal(18, 4)), new("t", ColumnType.Text), new("bin", ColumnType.Binary),
            new("dt", ColumnType.Date), new("tm", ColumnType.Time), new("ts", ColumnType.Timestamp),
            new("tstz", ColumnType.TimestampTz), new("iv", ColumnType.Interval), new("u", ColumnType.Uuid), new("j", ColumnType.Json),
        };
        var table = new TableName("raw", "all_types");
        await Session.CreateTableAsync(table, columns);

        var described = await Session.DescribeTableAsync(table);
        Assert.NotNull(described);
        Assert.Equal(columns.Select(c => (c.Name, c.Type, c.Nullable)), described.Columns.Select(c => (c.Name, c.Type, c.Nullable)));
    }

    [Fact]
    public async Task Schemas_and_tables_are_listed_and_dropped()
    {
        await Session.CreateSchemaAsync("staging");
        await Session.CreateSchemaAsync("staging");
        await Session.CreateTableAsync(new TableName("staging", "b_table"), EventColumns);
        await Session.CreateTableAsync(new TableName("staging", "a_table"), EventColumns);
        await Session.ExecuteAsync("create view staging.a_view as select 1 as x");

        Assert.Contains("staging", await Session.ListSchemasAsync());
        Assert.Equal(["a_table", "b_table"], (await Session.ListTablesAsync("staging")).Select(t => t.Name));

        await Session.DropTableAsync(new TableName("staging", "a_table"));
        await Session.DropTableAsync(new TableName("staging", "a_table"));
        Assert.Null(await Session.DescribeTableAsync(new TableName("staging", "a_table")));
    }

    [Fact]
    public async Task Bulk_load_round_trips_every_type()
    {
        var columns = new List<ColumnSpec>
        {
            new("b", ColumnType.Boolean), new("i", ColumnType.Integer), new("bi", ColumnType.BigInt), new("d", ColumnType.Double),
            new("dec", ColumnType.Decimal(18, 4)), new("t", ColumnType.Text), new("bin", ColumnType.Binary), new("dt", ColumnType.Date),
            new("ts", ColumnType.Timestamp), new("tstz", ColumnType.TimestampTz), new("u", ColumnType.Uuid), new("j", ColumnType.Json),
        };
        var table = new TableName("raw", "typed");
        await Session.CreateTableAsync(table, columns);
        var guid = Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        var loaded = await Session.BulkLoadAsync(table, columns.Select(c => c.Name).ToList(), Rows.Of(
            [true, 42, 1L << 40, 2.5, 1234.5678m, "héllo, \"quoted\"\nline", new byte[] { 0, 1, 255 }, new DateOnly(2024, 2, 29),
                new DateTime(2024, 1, 2, 3, 4, 5, 678), new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), guid, "{\"a\": 1}"],
            [null, null, null, null, null, null, null, null, null, null, null, null]));
        Assert.Equal(2, loaded);

        await using var reader = await Session.QueryAsync("select b, i, bi, d, dec, t, bin, dt, ts, tstz, u, j from raw.typed order by b nulls last");
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.GetBoolean(0));
        Assert.Equal(42, reader.GetInt32(1));
        Assert.Equal(1L << 40, reader.GetInt64(2));
        Assert.Equal(2.5, reader.GetDouble(3));
        Assert.Equal(1234.5678m, reader.GetDecimal(4));
        Assert.Equal("héllo, \"quoted\"\nline", reader.GetString(5));
        Assert.Equal(new byte[] { 0, 1, 255 }, reader.GetFieldValue<byte[]>(6));
        Assert.Equal(new DateOnly(2024, 2, 29), reader.GetFieldValue<DateOnly>(7));
        var subsecond = Warehouse.Capabilities.SubsecondTimestamps;
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, subsecond ? 678 : 0), reader.GetDateTime(8));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), reader.GetDateTime(9).ToUniversalTime());
        Assert.Equal(guid, reader.GetGuid(10));
        Assert.Equal(1, System.Text.Json.JsonDocument.Parse(reader.GetString(11)).RootElement.GetProperty("a").GetInt32());
        Assert.True(await reader.ReadAsync());
        for (var i = 0; i < reader.FieldCount; i++)
        {
            Assert.True(reader.IsDBNull(i), $"column {reader.GetName(i)} should be NULL");
        }
    }

    [Fact]
    public async Task Bulk_load_takes_columns_in_any_order_and_leaves_the_rest_null()
    {
        await Session.CreateTableAsync(Events, EventColumns);
        await Session.BulkLoadAsync(Events, ["name", "id"], Rows.Of(["a", 1L], ["b", 2L]));
        Assert.Equal(2L, await CountAsync(Events, "day is null and amount is null"));
        Assert.Equal("b", await Session.ScalarAsync("select name from raw.events where id = 2"));
    }

    [Fact]
    public async Task Bulk_load_of_many_rows_keeps_every_value()
    {
        await Session.CreateTableAsync(Events, EventColumns);
        const int count = 100_000;
        var loaded = await Session.BulkLoadAsync(Events, ["id", "day", "name", "amount"],
            Rows.Generate(count, i => [(long)i, new DateOnly(2024, 1, 1).AddDays(i % 31), $"event {i}", i % 100 / 4m]));
        Assert.Equal(count, loaded);
        Assert.Equal(count, await CountAsync(Events));
        Assert.Equal((long)count * (count - 1) / 2, Convert.ToInt64(await Session.ScalarAsync("select cast(sum(id) as bigint) from raw.events")));
        Assert.Equal(count / 31 + 1, await CountAsync(Events, "day = '2024-01-01'"));
    }

    [Fact]
    public async Task Bulk_load_into_a_missing_column_names_it()
    {
        await Session.CreateTableAsync(Events, EventColumns);
        var error = await Assert.ThrowsAsync<WarehouseException>(() => Session.BulkLoadAsync(Events, ["id", "nope"], Rows.Of([1L, 2L])));
        Assert.Contains("nope", error.Message);
    }

    [Fact]
    public async Task Bulk_load_joins_the_open_transaction()
    {
        await Session.CreateTableAsync(Events, EventColumns);
        await using (var transaction = await Session.BeginTransactionAsync())
        {
            Assert.True(Session.InTransaction);
            await Session.BulkLoadAsync(Events, ["id"], Rows.Of([1L], [2L]));
            await transaction.RollbackAsync();
        }

        // Without transactions the rows stay: what a rollback cannot undo, the capability says.
        Assert.False(Session.InTransaction);
        Assert.Equal(Warehouse.Capabilities.Transactions ? 0L : 2L, await CountAsync(Events));
    }

    [Fact]
    public async Task Transactions_commit_or_roll_back_when_disposed()
    {
        await Session.CreateTableAsync(Events, EventColumns);
        await using (var transaction = await Session.BeginTransactionAsync())
        {
            await Session.ExecuteAsync("insert into raw.events (id) values (1)");
            await transaction.CommitAsync();
        }

        await using (await Session.BeginTransactionAsync())
        {
            await Session.ExecuteAsync("insert into raw.events (id) values (2)");
        }

        Assert.Equal(Warehouse.Capabilities.Transactions ? 1L : 2L, await CountAsync(Events));
    }

    [Fact]
    public async Task Replace_table_swaps_in_the_new_rows_and_leaves_no_work_tables()
    {
        await Session.CreateTableAsync(Events, EventColumns);
        await Session.ExecuteAsync("insert into raw.events (id, name) values (1, 'old'), (2, 'old')");

        var columns = new List<ColumnSpec> { new("id", ColumnType.BigInt), new("label", ColumnType.Text) };
        var loaded = await Session.ReplaceTableAsync(Events, columns, Rows.Of([10L, "new"], [11L, "new"], [12L, "new"]));

        Assert.Equal(3, loaded);
        Assert.Equal(3L, await CountAsync(Events, "label = 'new'"));
        Assert.Equal(["id", "label"], (await Session.DescribeTableAsync(Events))!.Columns.Select(c => c.Name));
        Assert.Equal(["events"], (await Session.ListTablesAsync("raw")).Select(t => t.Name));
    }

    [Fact]
    public async Task Replace_table_creates_the_table_when_it_is_missing()
    {
        await Session.ReplaceTableAsync(Events, EventColumns, Rows.Of([1L, null, "x", 1.5m]));
        Assert.Equal(1L, await CountAsync(Events, "name = 'x'"));
    }

    [Fact]
    public async Task Replace_table_keeps_the_old_rows_when_loading_fails()
    {
        await Session.CreateTableAsync(Events, EventColumns);
        await Session.ExecuteAsync("insert into raw.events (id, name) values (1, 'old')");

        await Assert.ThrowsAsync<IOException>(() =>
            Session.ReplaceTableAsync(Events, EventColumns, Rows.FailingAfter(5000, i => [(long)i, null, "new", null])));

        Assert.Equal(1L, await CountAsync(Events, "name = 'old'"));
        Assert.Equal(1L, await CountAsync(Events));
        Assert.Equal(["events"], (await Session.ListTablesAsync("raw")).Select(t => t.Name));
    }

    [Fact]
    public async Task Replace_table_records_state_in_the_swap_transaction_and_undoes_the_swap_if_that_fails()
    {
        await MetadataSchema.MigrateAsync(Session);
        await Session.CreateTableAsync(Events, EventColumns);
        await Session.ExecuteAsync("insert into raw.events (id, name) values (1, 'old')");

        await Session.ReplaceTableAsync(Events, EventColumns, Rows.Of([2L, null, "new", null]), async (session, ct) =>
            await session.ExecuteAsync(
                "insert into _sluice.job_runs (id, invocation_id, job_name, kind, run_date, status, started_at, host, pid) values ($1, 'i-1', 'events', 'model', current_date, 'SUCCESS', current_timestamp, 'here', 1)",
                ["run-1"], ct));
        Assert.Equal(1L, await CountAsync(Events, "name = 'new'"));
        Assert.Equal(1L, await CountAsync(new TableName("_sluice", "job_runs"), "id = 'run-1'"));

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Session.ReplaceTableAsync(Events, EventColumns, Rows.Of([3L, null, "newer", null]), (_, _) => throw new InvalidOperationException("state write failed")));
        Assert.Equal(1L, await CountAsync(Events, "name = 'new'"));
        Assert.Equal(1L, await CountAsync(Events));
    }

    [Fact]
    public async Task Replace_partition_swaps_one_key_range_and_leaves_the_others()
    {
        await Session.CreateTableAsync(Events, EventColumns);
        await Session.BulkLoadAsync(Events, ["id", "day", "name"], Rows.Generate(30, i => [(long)i, new DateOnly(2024, 1, 1 + i / 10), "old"]));

        var range = new PartitionRange("day", new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 3));
        var loaded = await Session.ReplacePartitionAsync(Events, range, ["id", "day", "name"],
            Rows.Of([100L, new DateOnly(2024, 1, 2), "new"], [101L, new DateOnly(2024, 1, 2), "new"]));

        Assert.Equal(2, loaded);
        Assert.Equal(22L, await CountAsync(Events));
        Assert.Equal(2L, await CountAsync(Events, "day = '2024-01-02'"));
        Assert.Equal(0L, await CountAsync(Events, "day = '2024-01-02' and name = 'old'"));
        Assert.Equal(20L, await CountAsync(Events, "name = 'old'"));
    }

    [Fact]
    public async Task Replace_partition_is_idempotent()
    {
        await Session.CreateTableAsync(Events, EventColumns);
        var range = new PartitionRange("day", new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 2));
        for (var run = 0; run < 3; run++)
        {
            await Session.ReplacePartitionAsync(Events, range, ["id", "day"], Rows.Of([1L, new DateOnly(2024, 1, 1)], [2L, new DateOnly(2024, 1, 1)]));
        }

        Assert.Equal(2L, await CountAsync(Events));
    }

    [Fact]
    public async Task Replace_partition_changes_nothing_when_a_row_falls_outside_the_range()
    {
        await Session.CreateTableAsync(Events, EventColumns);
        await Session.BulkLoadAsync(Events, ["id", "day", "name"], Rows.Of([1L, new DateOnly(2024, 1, 1), "old"]));
        var range = new PartitionRange("day", new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 2));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Session.ReplacePartitionAsync(Events, range, ["id", "day", "name"],
            Rows.Of([2L, new DateOnly(2024, 1, 1), "new"], [3L, new DateOnly(2024, 1, 5), "stray"])));

        Assert.Contains("2024", error.Message);
        Assert.Equal(1L, await CountAsync(Events, "name = 'old'"));
        Assert.Equal(1L, await CountAsync(Events));
        Assert.False(Session.InTransaction);
    }

    [Fact]
    public async Task Metadata_schema_is_created_and_upgraded_by_numbered_migrations()
    {
        Assert.Equal(0, await MetadataSchema.GetVersionAsync(Session));

        Assert.Equal([1], await MetadataSchema.MigrateAsync(Session, targetVersion: 1));
        Assert.Equal(1, await MetadataSchema.GetVersionAsync(Session));
        Assert.Null(await Session.DescribeTableAsync(new TableName("_sluice", "job_runs")));

        var applied = await MetadataSchema.MigrateAsync(Session);
        Assert.Equal(Enumerable.Range(2, MetadataSchema.LatestVersion - 1), applied);
        Assert.Equal(MetadataSchema.LatestVersion, await MetadataSchema.GetVersionAsync(Session));
        Assert.NotNull(await Session.DescribeTableAsync(new TableName("_sluice", "job_runs")));
        Assert.Equal((long)MetadataSchema.LatestVersion, await CountAsync(MetadataSchema.VersionTable));

        Assert.Empty(await MetadataSchema.MigrateAsync(Session));
    }

    [Fact]
    public async Task Job_runs_upgrade_in_place_and_runs_a_full_refresh_had_failed_are_successes_again()
    {
        await MetadataSchema.MigrateAsync(Session, targetVersion: 7);
        const string Insert = "insert into _sluice.job_runs (id, invocation_id, job_name, kind, run_date, target_date, status, error_message, started_at, host, pid) values ($1, 'i-1', 'daily', 'model', current_date, date '2024-01-01', $2, $3, current_timestamp, 'here', 1)";
        await Session.ExecuteAsync(Insert, ["built", "SUCCESS", null]);
        await Session.ExecuteAsync(Insert, ["broken", "FAILED", "model 'daily' (models/daily.sql) failed: no such column"]);
        await Session.ExecuteAsync(Insert, ["refreshed", "FAILED", "superseded by a full refresh"]);

        Assert.Equal([8], await MetadataSchema.MigrateAsync(Session, targetVersion: 8));

        var runs = new List<string>();
        await using (var reader = await Session.QueryAsync("select id, status, coalesce(error_message, '-'), coalesce(superseded_by, '-') from _sluice.job_runs order by id"))
        {
            while (await reader.ReadAsync())
            {
                runs.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)} {reader.GetString(3)}");
            }
        }

        Assert.Equal(
            ["broken FAILED model 'daily' (models/daily.sql) failed: no such column -", "built SUCCESS - -", "refreshed SUCCESS - unknown"],
            runs);
    }

    [Fact]
    public async Task Job_runs_skipped_before_version_12_were_skipped_because_of_something_upstream()
    {
        await MetadataSchema.MigrateAsync(Session, targetVersion: 11);
        const string Insert = "insert into _sluice.job_runs (id, invocation_id, job_name, kind, run_date, status, error_message, started_at, host, pid) values ($1, 'i-1', 'daily', 'model', current_date, $2, $3, current_timestamp, 'here', 1)";
        await Session.ExecuteAsync(Insert, ["built", "SUCCESS", null]);
        await Session.ExecuteAsync(Insert, ["skipped", "SKIPPED", "skipped because 'stg', which it depends on, failed"]);

        Assert.Equal([12], await MetadataSchema.MigrateAsync(Session, targetVersion: 12));

        var runs = new List<string>();
        await using (var reader = await Session.QueryAsync("select id, status, coalesce(skip_reason, '-') from _sluice.job_runs order by id"))
        {
            while (await reader.ReadAsync())
            {
                runs.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)}");
            }
        }

        Assert.Equal(["built SUCCESS -", "skipped SKIPPED UPSTREAM"], runs);
    }

    [Fact]
    public async Task A_metadata_schema_newer_than_sluice_is_refused()
    {
        await MetadataSchema.MigrateAsync(Session);
        await Session.ExecuteAsync("insert into _sluice.schema_version values (999, 'future', current_timestamp)");
        var error = await Assert.ThrowsAsync<WarehouseException>(() => MetadataSchema.MigrateAsync(Session));
        Assert.Contains("upgrade Sluice", error.Message);
    }

    [Fact]
    public async Task Errors_carry_the_engine_message_and_code()
    {
        var syntax = await Assert.ThrowsAsync<WarehouseException>(() => Session.ExecuteAsync("selec 1"));
        Assert.Contains("syntax error", syntax.Message);
        Assert.NotNull(syntax.ErrorCode);

        var missing = await Assert.ThrowsAsync<WarehouseException>(() => Session.QueryAsync("select * from raw.nope"));
        Assert.Contains("nope", missing.Message);

        Assert.Equal(1L, Convert.ToInt64(await Session.ScalarAsync("select 1")));
    }

    [Fact]
    public async Task Errors_raised_while_rows_stream_are_warehouse_errors()
    {
        var error = await Assert.ThrowsAsync<WarehouseException>(async () =>
        {
            await using var reader = await Session.QueryAsync(FailingHalfwaySql);
            while (await reader.ReadAsync())
            {
            }
        });
        Assert.Contains("x", error.Message);
        Assert.NotNull(error.ErrorCode);
    }

    [Fact]
    public async Task A_failed_bulk_load_keeps_none_of_its_rows()
    {
        await Session.CreateTableAsync(Events, EventColumns);
        // Past several of the DuckDB loader's intermediate flushes (every 32,768 rows).
        await Assert.ThrowsAsync<IOException>(() => Session.BulkLoadAsync(Events, ["id"], Rows.FailingAfter(100_000, i => [(long)i])));
        Assert.Equal(0L, await CountAsync(Events));
        Assert.False(Session.InTransaction);
    }

    [Fact]
    public async Task Replace_partition_on_timestamptz_is_idempotent_whatever_the_session_time_zone()
    {
        if (SetNewYorkTimeZoneSql is { } setTimeZone)
        {
            await Session.ExecuteAsync(setTimeZone);
        }

        var table = new TableName("raw", "stamps");
        await Session.CreateTableAsync(table, [new ColumnSpec("id", ColumnType.BigInt), new ColumnSpec("at", ColumnType.TimestampTz)]);
        var range = new PartitionRange("at", new DateTime(2024, 1, 1), new DateTime(2024, 1, 2));
        for (var run = 0; run < 2; run++)
        {
            await Session.ReplacePartitionAsync(table, range, ["id", "at"],
                Rows.Of([1L, new DateTime(2024, 1, 1, 1, 0, 0)], [2L, new DateTime(2024, 1, 1, 23, 0, 0, DateTimeKind.Utc)]));
        }

        Assert.Equal(2L, await CountAsync(table));
    }

    [Fact]
    public async Task Concurrent_metadata_migrations_both_succeed()
    {
        await using var other = await Warehouse.OpenSessionAsync();
        await Task.WhenAll(MetadataSchema.MigrateAsync(Session), MetadataSchema.MigrateAsync(other));
        Assert.Equal(MetadataSchema.LatestVersion, await MetadataSchema.GetVersionAsync(Session));
        Assert.Equal((long)MetadataSchema.LatestVersion, await CountAsync(MetadataSchema.VersionTable));
    }

    [Fact]
    public async Task The_syntax_check_places_a_parse_error_at_its_character()
    {
        // Characters outside the Basic Multilingual Plane count once for the engine, twice in a string.
        const string Sql = "select '😀é' as a,\n  1 frm x";
        await using var check = await Warehouse.OpenSyntaxCheckAsync();

        var error = await check.CheckAsync(Sql);

        Assert.NotNull(error);
        Assert.Contains(SyntaxErrorAtX, error.Message);
        Assert.Equal(Sql.LastIndexOf('x'), error.Offset);
    }

    [Fact]
    public async Task The_syntax_check_passes_sql_over_relations_and_columns_that_do_not_exist()
    {
        await Session.CreateTableAsync(new TableName("raw", "present"), [new ColumnSpec("id", ColumnType.BigInt)]);
        await using var check = await Warehouse.OpenSyntaxCheckAsync();

        Assert.Null(await check.CheckAsync("select a.x from not_built.anywhere as a join raw.also_missing using (id)"));
        Assert.Null(await check.CheckAsync("select no_such_column from raw.present"));
    }

    [Fact]
    public virtual async Task The_syntax_check_runs_nothing_and_refuses_a_second_statement()
    {
        await Session.ExecuteAsync("create sequence raw.calls");
        await Session.CreateTableAsync(Events, EventColumns);
        await using var check = await Warehouse.OpenSyntaxCheckAsync();

        Assert.Null(await check.CheckAsync("select nextval('raw.calls')"));
        var error = await check.CheckAsync("select nextval('raw.calls'); drop table raw.events");

        Assert.NotNull(error);
        Assert.Equal(1L, Convert.ToInt64(await Session.ScalarAsync("select nextval('raw.calls')")));
        Assert.Equal(0L, await CountAsync(Events));
    }

    [Fact]
    public void Table_names_from_configuration_cannot_carry_sql()
    {
        var error = Assert.Throws<ArgumentException>(() => new TableName("raw", "events; drop table x"));
        Assert.Contains("not a valid table name", error.Message);
    }
}
