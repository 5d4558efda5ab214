using System.Globalization;
using Sluice.Models.State;
using Sluice.Testing;

namespace Sluice.Models.Tests;

/// <summary>The shop project end to end; every test runs on DuckDB and on PostgreSQL.</summary>
public abstract class ShopProjectTests : ShopProjectTestBase
{
    private const string PaidOrShipped = "status in ('paid', 'shipped')";

    [Fact]
    public async Task Build_creates_every_resource_with_values_computed_from_the_seeds()
    {
        var results = await BuildAsync();

        AssertAllSucceeded(results);
        Assert.Equal(18, results.Count);
        Assert.DoesNotContain(results, r => r.Name is "rpt_disabled" or "int_order_flags" or "int_paid_orders");

        Assert.Equal(
            await RowsAsync($"select order_date, count(*), sum(amount) from main_raw.orders where {PaidOrShipped} group by order_date order by order_date"),
            await RowsAsync("select order_date, orders, revenue from main_marts.fct_daily_revenue order by order_date"));
        Assert.Equal(
            await RowsAsync("select extract(month from order_date) as m, count(*), sum(amount) from main_raw.orders group by m order by m"),
            await RowsAsync("select extract(month from month_start) as m, orders, revenue from main_marts.fct_monthly_revenue order by m"));
        Assert.Equal(
            await RowsAsync($"""
                select c.id, c.name, upper(c.country),
                    (select count(*) from main_raw.orders o where o.customer_id = c.id and o.{PaidOrShipped}),
                    (select coalesce(sum(o.amount), 0) from main_raw.orders o where o.customer_id = c.id and o.{PaidOrShipped})
                from main_raw.customers c order by c.id
                """),
            await RowsAsync("select customer_id, customer_name, country_code, orders, revenue from main_marts.dim_customers order by customer_id"));
        Assert.Equal(
            await RowsAsync($"""
                select c.id, sum(o.amount) as revenue,
                    case when sum(o.amount) >= 50 then 'tier_1' when sum(o.amount) >= 20 then 'tier_2' else 'tier_3' end
                from main_raw.customers c join main_raw.orders o on o.customer_id = c.id and o.{PaidOrShipped}
                group by c.id order by revenue desc, c.id limit 3
                """),
            await RowsAsync("select customer_id, revenue, tier from main_marts.top_customers order by revenue desc, customer_id"));
        Assert.Equal(
            await RowsAsync("select count(*) filter (where status = 'paid'), count(*) filter (where status = 'shipped'), count(*) filter (where status = 'refunded') from main_raw.orders"),
            await RowsAsync("select paid_orders, shipped_orders, refunded_orders from main_marts.rpt_status_counts"));
        Assert.Equal(
            await RowsAsync($"""
                select upper(cc.code), cc.name, 'Revenue per country', 'EUR', 'all', sum(o.amount)
                from main_raw.country_codes cc join main_raw.customers c on c.country = cc.code join main_raw.orders o on o.customer_id = c.id and o.{PaidOrShipped}
                group by cc.code, cc.name order by 1
                """),
            await RowsAsync("select country_code, country_name, label, currency, region, revenue from main_marts.rpt_country where revenue > 0 order by 1"));

        // Seeds take column_types; hooks ran; the disabled model was never built.
        Assert.Equal(["decimal"], await RowsAsync("select case when lower(data_type) like 'decimal%' or lower(data_type) like 'numeric%' then 'decimal' else data_type end from information_schema.columns where table_schema = 'main_raw' and table_name = 'orders' and column_name = 'amount'"));
        Assert.Equal(["dim_customers"], await RowsAsync("select model from main_marts.hook_log"));
        Assert.Equal(2, await CountAsync("select count(distinct invocation_id) from main.run_log"));
        Assert.Equal(0, await CountAsync("select count(*) from information_schema.tables where table_name = 'rpt_disabled'"));
        Assert.Equal(59, await CountAsync("select count(*) from _sluice.job_runs where job_name = 'fct_daily_revenue' and status = 'SUCCESS' and target_date is not null"));
        Assert.Equal(18, await CountAsync("select count(distinct job_name) from _sluice.job_runs where status = 'SUCCESS'"));
    }

    [Fact]
    public async Task Run_twice_and_run_with_force_leave_identical_tables()
    {
        AssertAllSucceeded(await BuildAsync());
        var tables = new[] { "main_marts.fct_daily_revenue", "main_marts.fct_monthly_revenue", "main_marts.fct_orders", "main_marts.fct_orders_log", "main_marts.fct_customer_days", "main_marts.dim_customers", "main_marts.top_customers", "main_marts.rpt_country" };
        async Task<List<List<string>>> ContentsAsync()
        {
            var all = new List<List<string>>();
            foreach (var table in tables)
            {
                all.Add(await RowsAsync($"select * from {table} order by 1, 2"));
            }

            return all;
        }

        var first = await ContentsAsync();
        AssertAllSucceeded(await BuildAsync("resource_type:model"));
        Assert.Equal(first, await ContentsAsync());
        AssertAllSucceeded(await BuildAsync("resource_type:model", force: true));
        Assert.Equal(first, await ContentsAsync());

        // The second run skipped every partition; the forced one rebuilt them all.
        Assert.Equal(2 * 59, await CountAsync("select count(*) from _sluice.job_runs where job_name = 'fct_daily_revenue' and status = 'SUCCESS'"));
    }

    [Fact]
    public async Task Incremental_strategies_fold_in_changed_source_rows()
    {
        AssertAllSucceeded(await BuildAsync());
        var rows = File.ReadAllLines(Path.Combine(ProjectDirectory, "seeds", "orders.csv")).Skip(1).ToList();
        rows[9] = "10,2,7.00,paid,2025-02-02,2025-02-03 10:00:00";
        rows.Add("11,1,4.00,shipped,2025-02-02,2025-02-03 11:00:00");
        await ReseedAsync("orders", [.. rows]);

        var results = await BuildAsync("resource_type:model");
        AssertAllSucceeded(results);

        // merge: order 10 replaced in place, order 11 added.
        Assert.Equal(
            await RowsAsync("select id, customer_id, amount, status, order_date, updated_at from main_raw.orders order by id"),
            await RowsAsync("select order_id, customer_id, amount, status, order_date, updated_at from main_marts.fct_orders order by order_id"));
        var merge = results.Single(r => r.Name == "fct_orders").Rows;
        Assert.Equal((1L, 1L), (merge.Inserted, merge.Updated));

        // append: only order 11 is new to it; order 10 keeps its first row.
        Assert.Equal(
            await RowsAsync("select id, amount from main_raw.orders order by id"),
            await RowsAsync("select order_id, amount from main_marts.fct_orders_log order by order_id"));
        Assert.Equal(1L, results.Single(r => r.Name == "fct_orders_log").Rows.Inserted);

        // delete+insert on (customer_id, order_date): the last day was replaced, not doubled.
        Assert.Equal(
            await RowsAsync("select customer_id, order_date, count(*), sum(amount) from main_raw.orders group by customer_id, order_date order by 1, 2"),
            await RowsAsync("select customer_id, order_date, orders, amount from main_marts.fct_customer_days order by 1, 2"));
        Assert.True(results.Single(r => r.Name == "fct_customer_days").Rows.Deleted >= 1);
    }

    [Fact]
    public async Task Schema_changes_append_new_columns_or_fail_as_configured()
    {
        AssertAllSucceeded(await BuildAsync());
        var withChannel = new Dictionary<string, object?> { ["with_channel"] = true };

        var results = await BuildAsync("fct_orders fct_orders_strict", vars: withChannel);

        Assert.Equal(JobStatus.Success, results.Single(r => r.Name == "fct_orders").Status);
        Assert.Contains("channel", await RowsAsync("select column_name from information_schema.columns where table_schema = 'main_marts' and table_name = 'fct_orders'"));
        var strict = results.Single(r => r.Name == "fct_orders_strict");
        Assert.Equal(JobStatus.Failed, strict.Status);
        Assert.Equal(
            "model 'fct_orders_strict' (models/marts/fct_orders_strict.sql): the query has new column(s) channel compared with main_marts.fct_orders_strict, and on_schema_change is 'fail'; run with --full-refresh to rebuild it, or set on_schema_change='append_new_columns'.",
            strict.Error);
        Assert.Equal(["FAILED"], await RowsAsync("select status from _sluice.job_runs where job_name = 'fct_orders_strict' order by started_at desc limit 1"));

        AssertAllSucceeded(await BuildAsync("fct_orders_strict", vars: withChannel, fullRefresh: true));
        Assert.Equal(10, await CountAsync("select count(*) from main_marts.fct_orders_strict where channel = 'web'"));
    }

    [Fact]
    public async Task Snapshots_record_three_changes_including_a_hard_delete()
    {
        AssertAllSucceeded(await BuildAsync());
        var original = File.ReadAllLines(Path.Combine(ProjectDirectory, "seeds", "orders.csv")).Skip(1).ToList();

        // 1: order 1's amount changes.
        var change1 = original.ToList();
        change1[0] = "1,1,11.50,paid,2025-01-01,2025-01-05 10:00:00";
        await ReseedAsync("orders", [.. change1]);
        AssertAllSucceeded(await BuildAsync("resource_type:snapshot"));

        // 2: order 3 is deleted in the source; customer 2 is renamed (check strategy).
        var change2 = change1.Where(r => !r.StartsWith("3,", StringComparison.Ordinal)).ToList();
        await ReseedAsync("orders", [.. change2]);
        await ReseedAsync("customers", "1,Ada,gb,2025-01-01 08:00:00", "2,Bob,se,2025-01-06 09:00:00", "3,Cy,us,2025-01-02 10:00:00", "4,Di,gb,2025-01-03 11:00:00");
        AssertAllSucceeded(await BuildAsync("stg_customers resource_type:snapshot"));

        // 3: order 1 changes again and order 3 comes back.
        var change3 = change2.ToList();
        change3[0] = "1,1,12.50,shipped,2025-01-01,2025-01-07 10:00:00";
        change3.Add("3,1,5.25,paid,2025-01-02,2025-01-07 12:00:00");
        await ReseedAsync("orders", [.. change3]);
        AssertAllSucceeded(await BuildAsync("resource_type:snapshot"));

        Assert.Equal(
            [
                "1|10.50|2025-01-01 10:00:00|2025-01-05 10:00:00|false",
                "1|11.50|2025-01-05 10:00:00|2025-01-07 10:00:00|false",
                "1|12.50|2025-01-07 10:00:00|NULL|true",
            ],
            await RowsAsync("select id, amount, dbt_valid_from, dbt_valid_to, dbt_is_current from snapshots.orders_snapshot where id = 1 order by dbt_valid_from"));

        var order3 = await RowsAsync("select amount, status, dbt_valid_to is null, dbt_is_current from snapshots.orders_snapshot where id = 3 order by dbt_valid_from");
        Assert.Equal(["5.25|refunded|false|false", "5.25|paid|true|true"], order3);

        // Every key has exactly one current version, and only current versions are open.
        Assert.Equal(0, await CountAsync("select count(*) from (select id from snapshots.orders_snapshot where dbt_valid_to is null group by id having count(*) <> 1) k"));
        Assert.Equal(0, await CountAsync("select count(*) from snapshots.orders_snapshot where dbt_is_current <> (dbt_valid_to is null)"));
        Assert.Equal(0, await CountAsync("select count(*) from (select dbt_scd_id from snapshots.orders_snapshot group by dbt_scd_id having count(*) > 1) k"));
        Assert.Equal(await CountAsync("select count(*) from main_raw.orders"), await CountAsync("select count(*) from snapshots.orders_snapshot where dbt_is_current"));

        Assert.Equal(["Bo|false", "Bob|true"], await RowsAsync("select customer_name, dbt_is_current from snapshots.customers_snapshot where customer_id = 2 order by dbt_valid_from"));
    }

    [Fact]
    public async Task A_check_snapshot_with_updated_at_dates_its_versions_by_the_rows_change_time()
    {
        WriteModel("snapshots/customers_dated.sql", """
            {% snapshot customers_dated %}
            {{ config(unique_key='customer_id', strategy='check', check_cols=['customer_name'], updated_at='updated_at') }}
            select customer_id, customer_name, country_code, updated_at from {{ ref('stg_customers') }}
            {% endsnapshot %}
            """);
        AssertAllSucceeded(await BuildAsync());

        // Customer 2 is renamed at 09:00 on the 6th; customer 3's time moves on but its checked column does not.
        await ReseedAsync("customers", "1,Ada,gb,2025-01-01 08:00:00", "2,Bob,se,2025-01-06 09:00:00", "3,Cy,us,2025-01-08 10:00:00", "4,Di,gb,2025-01-03 11:00:00");
        AssertAllSucceeded(await BuildAsync("stg_customers customers_dated"));

        Assert.Equal(
            ["Bo|2025-01-01 09:00:00|2025-01-06 09:00:00|false", "Bob|2025-01-06 09:00:00|NULL|true"],
            await RowsAsync("select customer_name, dbt_valid_from, dbt_valid_to, dbt_is_current from snapshots.customers_dated where customer_id = 2 order by dbt_valid_from"));
        Assert.Equal(
            ["Cy|2025-01-02 10:00:00|NULL|true"],
            await RowsAsync("select customer_name, dbt_valid_from, dbt_valid_to, dbt_is_current from snapshots.customers_dated where customer_id = 3 order by dbt_valid_from"));
    }

    [Fact]
    public async Task Partitions_of_yyyymmdd_date_keys_replace_one_day_each()
    {
        WriteModel("models/marts/fct_revenue_by_key.sql", """
            {{ config(materialized='incremental', partition_by={'field': 'date_key', 'data_type': 'int'}) }}
            select cast(extract(year from order_date) * 10000 + extract(month from order_date) * 100 + extract(day from order_date) as integer) as date_key,
                   count(*) as orders, sum(amount) as revenue
            from {{ ref('int_paid_orders') }}
            group by 1
            """);
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));
        AssertAllSucceeded(await BuildAsync("+fct_revenue_by_key", from: "2025-01-01", to: "2025-01-31"));

        const string Expected = $"""
            select cast(extract(year from order_date) * 10000 + extract(month from order_date) * 100 + extract(day from order_date) as integer), count(*), sum(amount)
            from main_raw.orders where {PaidOrShipped} and order_date < date '2025-02-01' group by order_date order by order_date
            """;
        Assert.Equal(await RowsAsync(Expected), await RowsAsync("select date_key, orders, revenue from main_marts.fct_revenue_by_key order by date_key"));
        Assert.Equal(31, await CountAsync("select count(distinct target_date) from _sluice.job_runs where job_name = 'fct_revenue_by_key' and status = 'SUCCESS'"));

        // Rebuilding one day deletes and inserts that day's rows alone.
        var day = await RowsAsync("select min(order_date) from main_raw.orders");
        var key = DateOnly.Parse(day[0][..10], CultureInfo.InvariantCulture);
        var results = await BuildAsync("fct_revenue_by_key", force: true, from: key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to: key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(1, Assert.Single(results).PartitionsBuilt);
        Assert.Equal(
            ["1|1"],
            await RowsAsync($"select rows_deleted, rows_inserted from _sluice.job_runs where job_name = 'fct_revenue_by_key' and target_date = date '{key:yyyy-MM-dd}' order by started_at desc limit 1"));
        Assert.Equal(await RowsAsync(Expected), await RowsAsync("select date_key, orders, revenue from main_marts.fct_revenue_by_key order by date_key"));
    }

    [Theory]
    [InlineData("+rpt_country", "", "country_codes customers dim_customers int_order_flags int_paid_orders orders rpt_country stg_country_codes stg_customers stg_orders")]
    [InlineData("int_paid_orders+", "", "dim_customers fct_daily_revenue int_paid_orders rpt_country rpt_top_customers")]
    [InlineData("+int_paid_orders+", "", "dim_customers fct_daily_revenue int_order_flags int_paid_orders orders rpt_country rpt_top_customers stg_orders")]
    [InlineData("tag:reports", "", "rpt_country rpt_status_counts rpt_top_customers")]
    [InlineData("path:models/marts/reports", "", "rpt_country rpt_status_counts rpt_top_customers")]
    [InlineData("config.materialized:incremental", "", "fct_customer_days fct_daily_revenue fct_monthly_revenue fct_orders fct_orders_log fct_orders_strict")]
    [InlineData("tag:marts,config.materialized:table", "", "dim_customers rpt_country rpt_top_customers")]
    [InlineData("tag:staging tag:orders", "", "stg_country_codes stg_customers stg_orders")]
    [InlineData("tag:marts", "tag:reports config.materialized:incremental", "dim_customers")]
    public void Selectors_pick_from_the_shop_graph(string select, string exclude, string expected)
    {
        var selected = Core.Graph.NodeSelector.Select(Parse().Graph, select.Split(' '), exclude.Length == 0 ? [] : exclude.Split(' '));

        Assert.Equal(expected, string.Join(' ', selected.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task A_selection_builds_only_what_it_picks()
    {
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));

        var results = await BuildAsync("+rpt_country");

        AssertAllSucceeded(results);
        Assert.Equal(
            "country_codes customers dim_customers orders rpt_country stg_country_codes stg_customers stg_orders",
            string.Join(' ', results.Select(r => r.Name).Order(StringComparer.Ordinal)));
        Assert.Equal(0, await CountAsync("select count(*) from information_schema.tables where table_name in ('fct_orders', 'top_customers', 'fct_daily_revenue')"));
        Assert.Equal(
            await RowsAsync("select upper(c.country) from main_raw.customers as c join main_raw.country_codes as cc on cc.code = c.country group by upper(c.country) order by 1"),
            await RowsAsync("select country_code from main_marts.rpt_country order by 1"));
    }

    [Fact]
    public async Task A_failing_model_is_named_with_its_file_and_what_depends_on_it_is_skipped()
    {
        WriteModel("models/marts/broken.sql", "select no_such_column from {{ ref('stg_orders') }}\n");
        WriteModel("models/marts/after_broken.sql", "select * from {{ ref('broken') }}\n");
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));

        var results = await BuildAsync("stg_orders+");

        var broken = results.Single(r => r.Name == "broken");
        Assert.Equal(JobStatus.Failed, broken.Status);
        Assert.StartsWith("model 'broken' (models/marts/broken.sql) failed: ", broken.Error);
        Assert.Contains("no_such_column", broken.Error);
        var after = results.Single(r => r.Name == "after_broken");
        Assert.Equal(JobStatus.Skipped, after.Status);
        Assert.Equal("skipped because 'broken', which it depends on, failed", after.Error);
        Assert.Equal(JobStatus.Success, results.Single(r => r.Name == "fct_orders").Status);
        Assert.Equal(
            ["broken|FAILED", "after_broken|SKIPPED"],
            await RowsAsync("select job_name, status from _sluice.job_runs where job_name like '%broken' order by started_at"));
    }

    [Fact]
    public async Task Partitions_built_before_are_skipped_unless_forced_and_a_dead_run_is_marked_failed()
    {
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));
        AssertAllSucceeded(await BuildAsync("+fct_daily_revenue", from: "2025-01-01", to: "2025-01-10"));
        await Session.ExecuteAsync(
            "insert into _sluice.job_runs (id, invocation_id, job_name, kind, run_date, target_date, status, started_at, host, pid) values ('dead', 'dead', 'fct_daily_revenue', 'model', current_date, date '2025-01-11', 'RUNNING', current_timestamp, $1, 2147483000)",
            [System.Environment.MachineName]);

        var results = await BuildAsync("fct_daily_revenue", from: "2025-01-05", to: "2025-01-15", concurrency: 3);

        var revenue = results.Single();
        Assert.Equal((5, 6), (revenue.PartitionsBuilt, revenue.PartitionsSkipped));
        Assert.Equal(["FAILED"], await RowsAsync("select status from _sluice.job_runs where id = 'dead'"));
        Assert.Equal(
            await RowsAsync($"select order_date, sum(amount) from main_raw.orders where {PaidOrShipped} and order_date <= date '2025-01-15' group by order_date order by order_date"),
            await RowsAsync("select order_date, revenue from main_marts.fct_daily_revenue order by order_date"));

        var project = Parse();
        var status = await RunHistory.ReadAsync(Session, project, new HashSet<string> { "fct_daily_revenue" }, DateTimeOffset.UtcNow.AddHours(-1), new DateOnly(2024, 12, 30), new DateOnly(2025, 1, 16), CancellationToken.None);
        var revenueStatus = Assert.Single(status.Resources);
        Assert.Equal(
            ["2024-12-30", "2024-12-31", "2025-01-16"],
            revenueStatus.MissingPartitions.Select(p => p.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.Equal(JobStatus.Success, revenueStatus.LastSuccess?.Status);
        var dead = Assert.Single(status.Failures);
        Assert.Equal(("dead", new DateOnly(2025, 1, 11)), (dead.Id, dead.TargetDate));
        Assert.Equal(4, status.Invocations.Count);
        var deadInvocation = status.Invocations.Single(i => i.InvocationId == "dead");
        Assert.Equal((1, 1, 0), (deadInvocation.Runs, deadInvocation.Failed, deadInvocation.Succeeded));
        Assert.Equal((5, 0, 6, 0), (status.Invocations[0].Succeeded, status.Invocations[0].Failed, status.Invocations[0].AlreadyBuilt, status.Invocations[0].Skipped));
    }
}

public sealed class DuckDbShopProjectTests : ShopProjectTests
{
    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresShopProjectTests : ShopProjectTests
{
    protected override async Task<string?> ProfilesAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.DbtProfilesAsync("shop");
    }
}
