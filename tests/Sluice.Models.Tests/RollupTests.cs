using System.Globalization;
using Sluice.Core.Project;
using Sluice.Models.State;
using Sluice.Testing;

namespace Sluice.Models.Tests;

/// <summary>Rollups built beside their models, checked against aggregates computed here on the seed rows.</summary>
public abstract class RollupTests : ShopProjectTestBase
{
    private const string Day = "{'grain': 'day', 'time': 'updated_at', 'dimensions': ['status'], 'measures': ['amount']}";
    private const string Month = "{'grain': 'month', 'time': 'updated_at', 'measures': ['amount', 'customer_id']}";

    // The rollup of orders per day of updated_at and status, from the seed table.
    private const string ExpectedDays = """
        select cast(updated_at as date), status, count(*), sum(amount), min(amount), max(amount)
        from main_raw.orders group by 1, 2 order by 1, 2
        """;

    private const string BuiltDays = """
        select period, status, row_count, amount__sum, amount__min, amount__max
        from main_marts.fct_order_rollups__rollup_day order by 1, 2
        """;

    [Fact]
    public async Task A_table_model_builds_its_rollups_in_the_same_transaction_and_records_them()
    {
        await ReseedAsync("orders", Orders(240));
        WriteRollupModel($"[{Day}, {Month}]");

        AssertAllSucceeded(await BuildAsync("fct_order_rollups"));

        Assert.Equal(await RowsAsync(ExpectedDays), await RowsAsync(BuiltDays));
        Assert.InRange(await DeviationErrorAsync(), 0, 1e-6);
        Assert.Equal(
            await RowsAsync("select cast(date_trunc('month', updated_at) as date), count(*), sum(amount), count(customer_id), cast(sum(customer_id) as float8), cast(max(customer_id) as float8) from main_raw.orders group by 1 order by 1"),
            await RowsAsync("select period, row_count, amount__sum, customer_id__count, customer_id__sum, customer_id__max from main_marts.fct_order_rollups__rollup_month order by 1"));
        Assert.Equal(
            ["main_marts.fct_order_rollups__rollup_day|fct_order_rollups|v1;day;updated_at;status;amount",
             "main_marts.fct_order_rollups__rollup_month|fct_order_rollups|v1;month;updated_at;;amount,customer_id"],
            await RowsAsync("select rollup_table, model, definition from _sluice.rollups order by 1"));

        // A later build of other rows rebuilds the rollup with them.
        await ReseedAsync("orders", Orders(90));
        AssertAllSucceeded(await BuildAsync("fct_order_rollups"));
        Assert.Equal(await RowsAsync(ExpectedDays), await RowsAsync(BuiltDays));
    }

    [Fact]
    public async Task A_changed_rollup_is_rebuilt_and_a_removed_one_is_dropped_with_its_record()
    {
        await ReseedAsync("orders", Orders(60));
        WriteRollupModel($"[{Day}, {Month}]");
        AssertAllSucceeded(await BuildAsync("fct_order_rollups"));

        WriteRollupModel("[{'grain': 'day', 'time': 'updated_at', 'dimensions': ['status', 'customer_id'], 'measures': ['amount']}]");
        AssertAllSucceeded(await BuildAsync("fct_order_rollups"));

        Assert.Equal(
            await RowsAsync("select cast(updated_at as date), status, customer_id, count(*), sum(amount) from main_raw.orders group by 1, 2, 3 order by 1, 2, 3"),
            await RowsAsync("select period, status, customer_id, row_count, amount__sum from main_marts.fct_order_rollups__rollup_day order by 1, 2, 3"));
        Assert.Equal(["main_marts.fct_order_rollups__rollup_day|v1;day;updated_at;status,customer_id;amount"], await RowsAsync("select rollup_table, definition from _sluice.rollups"));
        Assert.Equal(0, await CountAsync("select count(*) from information_schema.tables where table_name = 'fct_order_rollups__rollup_month'"));

        WriteRollupModel("[]");
        AssertAllSucceeded(await BuildAsync("fct_order_rollups"));
        Assert.Equal(0, await CountAsync("select count(*) from _sluice.rollups"));
        Assert.Equal(0, await CountAsync("select count(*) from information_schema.tables where table_name like 'fct_order_rollups__rollup%'"));
    }

    [Fact]
    public async Task A_rollup_that_cannot_be_built_fails_the_model_and_keeps_the_last_build()
    {
        await ReseedAsync("orders", Orders(60));
        WriteRollupModel($"[{Day}]");
        AssertAllSucceeded(await BuildAsync("fct_order_rollups"));
        var before = await RowsAsync("select * from main_marts.fct_order_rollups order by id");
        var rollupBefore = await RowsAsync(BuiltDays);

        await ReseedAsync("orders", Orders(30));
        WriteRollupModel("[{'grain': 'day', 'time': 'updated_at', 'measures': ['no_such_column']}]");
        var failed = Assert.Single(await BuildAsync("fct_order_rollups"));

        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("rollup 'day' of model 'fct_order_rollups' could not be built", failed.Error, StringComparison.Ordinal);
        Assert.Contains("fct_order_rollups.sql", failed.Error, StringComparison.Ordinal);
        Assert.Equal(before, await RowsAsync("select * from main_marts.fct_order_rollups order by id"));
        Assert.Equal(rollupBefore, await RowsAsync(BuiltDays));
        Assert.Equal(["v1;day;updated_at;status;amount"], await RowsAsync("select definition from _sluice.rollups"));
    }

    [Fact]
    public async Task Partitions_refresh_their_own_periods_of_the_rollup_concurrently()
    {
        await ReseedAsync("orders", Orders(300));
        WriteModel("models/marts/fct_daily_revenue.sql", """
            {{ config(materialized='incremental', partition_by='order_date', grain='day',
                      rollups=[{'grain': 'day', 'time': 'order_date', 'measures': ['revenue']}]) }}
            select order_date, count(*) as orders, sum(amount) as revenue
            from {{ ref('int_paid_orders') }}
            where order_date >= '{{ partition_start }}' and order_date < '{{ partition_end }}'
            group by order_date
            """);
        const string expected = $"select order_date, 1, sum(amount), sum(amount), sum(amount) from main_raw.orders where status in ('paid', 'shipped') and order_date <= date '2025-01-20' group by 1 order by 1";
        const string built = "select period, row_count, revenue__sum, revenue__min, revenue__max from main_marts.fct_daily_revenue__rollup_day order by 1";

        AssertAllSucceeded(await BuildAsync("+fct_daily_revenue", from: "2025-01-01", to: "2025-01-20", concurrency: 3));
        Assert.Equal(await RowsAsync(expected), await RowsAsync(built));

        // New rows for three days, rebuilt by forcing their partitions: the rollup's other days stay.
        await Session.ExecuteAsync("update main_raw.orders set amount = amount + 100 where order_date between date '2025-01-04' and date '2025-01-06'");
        AssertAllSucceeded(await BuildAsync("fct_daily_revenue", from: "2025-01-04", to: "2025-01-06", force: true, concurrency: 3));
        Assert.Equal(await RowsAsync(expected), await RowsAsync(built));

        // A full refresh drops the table and its rollup, and builds both again.
        await Session.ExecuteAsync("delete from main_raw.orders where order_date = date '2025-01-10'");
        AssertAllSucceeded(await BuildAsync("fct_daily_revenue", from: "2025-01-01", to: "2025-01-20", fullRefresh: true, concurrency: 3));
        Assert.Equal(await RowsAsync(expected), await RowsAsync(built));
    }

    [Fact]
    public void Rollups_declared_in_a_property_file_read_as_in_a_config_call()
    {
        WriteModel("models/marts/fct_order_rollups.sql", "{{ config(materialized='table') }}\nselect * from {{ source('shop_raw', 'orders') }}\n");
        WriteModel("models/marts/rollups.yml", """
            version: 2
            models:
              - name: fct_order_rollups
                config:
                  rollups:
                    - {grain: week, time: updated_at, dimensions: [status], measures: [amount], name: weekly}
                    - {grain: Month, time: order_date}
            """);

        var rollups = Parse().Nodes["fct_order_rollups"].Config.Rollups;

        Assert.Equal(
            ["weekly: v1;week;updated_at;status;amount -> main_marts.fct_order_rollups__rollup_weekly", "month: v1;month;order_date;; -> main_marts.fct_order_rollups__rollup_month"],
            rollups.Select(r => $"{r.Name}: {r.Definition} -> {r.TableFor(Parse().Nodes["fct_order_rollups"].Table)}"));
        Assert.All(rollups, r => Assert.Contains("rollups.yml", r.Origin, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("materialized='view', rollups=[{'grain': 'day', 'time': 'updated_at'}]", "needs a table to summarize")]
    [InlineData("materialized='table', rollups=[{'grain': 'hour', 'time': 'updated_at'}]", "use day, week or month")]
    [InlineData("materialized='table', rollups=[{'grain': 'day'}]", "needs time")]
    [InlineData("materialized='table', rollups=[{'grain': 'day', 'time': 'updated_at', 'dimensions': ['period']}]", "column 'period'")]
    [InlineData("materialized='table', rollups=[{'grain': 'day', 'time': 'updated_at', 'measures': ['amount; drop table x']}]", "plain column name")]
    [InlineData("materialized='table', rollups=[{'grain': 'day', 'time': 'updated_at'}, {'grain': 'day', 'time': 'order_date'}]", "two rollups named 'day'")]
    [InlineData("materialized='table', rollups=[{'grain': 'day', 'time': 'updated_at', 'sum': ['amount']}]", "unknown key 'sum'")]
    [InlineData("materialized='incremental', partition_by='order_date', rollups=[{'grain': 'day', 'time': 'updated_at'}]", "partitioned by 'order_date'")]
    [InlineData("materialized='incremental', partition_by='order_date', rollups=[{'grain': 'month', 'time': 'order_date'}]", "does not fit in the model's day partitions")]
    public void Bad_rollup_declarations_name_the_model_file_and_the_fix(string config, string message)
    {
        WriteModel("models/marts/fct_order_rollups.sql", $"{{{{ config({config}) }}}}\nselect * from {{{{ source('shop_raw', 'orders') }}}}\n");

        var error = Assert.Throws<ConfigurationException>(() => Parse());

        Assert.Contains("fct_order_rollups.sql", error.Message, StringComparison.Ordinal);
        Assert.Contains("config 'rollups'", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    // The largest difference between a day's squared deviations in the rollup and computed on the seed rows.
    private async Task<double> DeviationErrorAsync() => Convert.ToDouble(await Session.ScalarAsync("""
        select max(abs(r.amount__m2 - e.m2)) from main_marts.fct_order_rollups__rollup_day r
        join (select cast(updated_at as date) as day, status, cast(var_pop(amount) * count(amount) as float8) as m2 from main_raw.orders group by 1, 2) e
        on r.period = e.day and r.status = e.status
        """), CultureInfo.InvariantCulture);

    private void WriteRollupModel(string rollups) =>
        WriteModel("models/marts/fct_order_rollups.sql", $"{{{{ config(materialized='table', rollups={rollups}) }}}}\nselect * from {{{{ source('shop_raw', 'orders') }}}}\n");

    // Orders spread over January and February, amounts varied enough for deviations to matter.
    private static string[] Orders(int count)
    {
        string[] statuses = ["paid", "shipped", "refunded"];
        return [.. Enumerable.Range(1, count).Select(i =>
        {
            var day = new DateOnly(2025, 1, 1).AddDays(i * 7 % 50);
            var amount = (i * 37 % 1000 / 10.0) + 0.25;
            return string.Create(CultureInfo.InvariantCulture, $"{i},{i % 9 + 1},{amount:0.00},{statuses[i % 3]},{day:yyyy-MM-dd},{day:yyyy-MM-dd} {i % 24:00}:15:00");
        })];
    }
}

public sealed class DuckDbRollupTests : RollupTests
{
    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresRollupTests : RollupTests
{
    protected override async Task<string?> ProfilesAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.DbtProfilesAsync("shop");
    }
}
