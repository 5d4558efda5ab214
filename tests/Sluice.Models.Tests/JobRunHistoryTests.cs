using System.Globalization;
using Sluice.Models.State;
using Sluice.Testing;

namespace Sluice.Models.Tests;

/// <summary>
/// <c>_sluice.job_runs</c> is history: rows are added and RUNNING rows finished, never turned
/// into something else later. A full refresh marks the partition runs it supersedes instead.
/// Every test runs on DuckDB and on PostgreSQL.
/// </summary>
public abstract class JobRunHistoryTests : ShopProjectTestBase
{
    private const string Revenue = "select order_date, sum(amount) from main_raw.orders where status in ('paid', 'shipped') and order_date <= date '2025-01-10' group by order_date order by order_date";

    [Fact]
    public async Task A_full_refresh_marks_earlier_partition_runs_superseded_and_leaves_them_successful()
    {
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));
        AssertAllSucceeded(await BuildAsync("+fct_daily_revenue", from: "2025-01-01", to: "2025-01-10"));
        var first = await LatestInvocationAsync();

        var refresh = Assert.Single(await BuildAsync("fct_daily_revenue", fullRefresh: true, from: "2025-01-01", to: "2025-01-10"));
        var second = await LatestInvocationAsync();

        Assert.Equal((JobStatus.Success, 10, 0), (refresh.Status, refresh.PartitionsBuilt, refresh.PartitionsSkipped));
        Assert.Equal(
            [$"{first}|SUCCESS|{second}|NULL|10", $"{second}|SUCCESS|NULL|NULL|10"],
            await RunsByInvocationAsync());
        Assert.Equal(0, await CountAsync("select count(*) from _sluice.job_runs where status = 'FAILED'"));
        Assert.Equal(await RowsAsync(Revenue), await RowsAsync("select order_date, revenue from main_marts.fct_daily_revenue order by order_date"));

        // The rebuilt partitions count as built: a plain build skips them all.
        var plain = Assert.Single(await BuildAsync("fct_daily_revenue", from: "2025-01-01", to: "2025-01-10"));
        Assert.Equal((JobStatus.Success, 0, 10), (plain.Status, plain.PartitionsBuilt, plain.PartitionsSkipped));
        var skipped = await LatestInvocationAsync();

        // Status counts failures only: none here, and no partition is missing.
        var status = await RunHistory.ReadAsync(Session, Parse(), new HashSet<string> { "fct_daily_revenue" }, DateTimeOffset.UtcNow.AddHours(-1), new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 10), CancellationToken.None);
        Assert.Empty(status.Failures);
        Assert.All(status.Invocations, i => Assert.Equal(0, i.Failed));
        var revenue = Assert.Single(status.Resources);
        Assert.Empty(revenue.MissingPartitions);
        Assert.False(revenue.NeedsAttention);

        // A second full refresh marks the runs of the first; the earlier mark stays as it was.
        AssertAllSucceeded(await BuildAsync("fct_daily_revenue", fullRefresh: true, from: "2025-01-01", to: "2025-01-10"));
        var third = await LatestInvocationAsync();
        Assert.Equal(
            [$"{first}|SUCCESS|{second}|NULL|10", $"{second}|SUCCESS|{third}|NULL|10", $"{skipped}|SKIPPED|NULL|ALREADY_BUILT|10", $"{third}|SUCCESS|NULL|NULL|10"],
            await RunsByInvocationAsync());
    }

    [Fact]
    public async Task Partitions_a_full_refresh_dropped_are_neither_stale_nor_built_until_a_run_covers_them()
    {
        await Session.ExecuteAsync("create schema if not exists raw");
        await Session.ExecuteAsync("create table raw.app__feed (order_date date, _sluice_synced_at timestamptz not null, _sluice_deleted_at timestamptz)");
        WriteModel("models/marts/fct_daily_feed.sql", """
            {{ config(materialized='incremental', partition_by='order_date', partition_inputs=[{'source': 'app.feed', 'column': 'order_date'}]) }}
            select order_date, sum(amount) as revenue
            from {{ ref('int_paid_orders') }}
            where order_date >= '{{ partition_start }}' and order_date < '{{ partition_end }}'
            group by order_date
            """);
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));
        AssertAllSucceeded(await BuildAsync("+fct_daily_feed", from: "2025-01-01", to: "2025-01-10"));

        // The refresh of a narrower range drops January 1 to 4 with the table.
        var refresh = Assert.Single(await BuildAsync("fct_daily_feed", fullRefresh: true, from: "2025-01-05", to: "2025-01-10"));
        Assert.Equal((JobStatus.Success, 6), (refresh.Status, refresh.PartitionsBuilt));

        // A sync then changes a dropped day and a rebuilt one: only the rebuilt one is stale.
        await Session.ExecuteAsync("insert into raw.app__feed (order_date, _sluice_synced_at) values (date '2025-01-02', current_timestamp), (date '2025-01-07', current_timestamp)");
        var stale = Assert.Single(await BuildAsync("fct_daily_feed", from: "2025-01-05", to: "2025-01-10"));
        Assert.Equal(["2025-01-07"], Days(stale));

        // A run over the whole range builds the dropped days again, and only those.
        var whole = Assert.Single(await BuildAsync("fct_daily_feed", from: "2025-01-01", to: "2025-01-10"));
        Assert.Equal(["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04"], Days(whole));
        Assert.Equal(await RowsAsync(Revenue), await RowsAsync("select order_date, revenue from main_marts.fct_daily_feed order by order_date"));
        Assert.Equal(0, await CountAsync("select count(*) from _sluice.job_runs where status = 'FAILED'"));
    }

    [Fact]
    public async Task A_post_hook_failing_after_a_partition_committed_keeps_its_success_and_records_the_failure_apart()
    {
        WriteModel("models/marts/fct_hooked.sql", """
            {{ config(materialized='incremental', partition_by='order_date', post_hook=["insert into no_such_table values (1)"]) }}
            select order_date, count(*) as orders
            from {{ ref('int_paid_orders') }}
            where order_date >= '{{ partition_start }}' and order_date < '{{ partition_end }}'
            group by order_date
            """);
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));

        var hooked = (await BuildAsync("+fct_hooked", from: "2025-01-02", to: "2025-01-02")).Single(r => r.Name == "fct_hooked");

        Assert.Equal(JobStatus.Failed, hooked.Status);
        Assert.Contains("no_such_table", hooked.Error);
        var invocation = await LatestInvocationAsync();
        Assert.Equal(
            [$"{invocation}|2025-01-02|SUCCESS|NULL", $"{invocation}|2025-01-02|FAILED|no_such_table"],
            await RowsAsync("""
                select invocation_id, cast(target_date as varchar), status, case when error_message like '%no_such_table%' then 'no_such_table' else error_message end
                from _sluice.job_runs where job_name = 'fct_hooked' order by status desc
                """));
        Assert.Equal(1, await CountAsync("select count(*) from main_marts.fct_hooked where order_date = date '2025-01-02'"));
    }

    private async Task<string> LatestInvocationAsync() =>
        (await RowsAsync("select invocation_id from _sluice.job_runs order by started_at desc, id desc limit 1")).Single();

    // fct_daily_revenue's runs grouped by invocation: status, superseded_by, skip reason or error,
    // and count, in invocation order. (An already-built skip's error names the build it stands on.)
    private Task<List<string>> RunsByInvocationAsync() =>
        RowsAsync("""
            select invocation_id, status, superseded_by, coalesce(skip_reason, error_message), count(*)
            from _sluice.job_runs
            where job_name = 'fct_daily_revenue' and target_date is not null
            group by invocation_id, status, superseded_by, coalesce(skip_reason, error_message)
            order by min(started_at)
            """);

    private static List<string> Days(Run.NodeResult result) =>
        [.. (result.Built ?? []).Select(p => p.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))];
}

public sealed class DuckDbJobRunHistoryTests : JobRunHistoryTests
{
    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresJobRunHistoryTests : JobRunHistoryTests
{
    protected override async Task<string?> ProfilesAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.DbtProfilesAsync("shop");
    }
}
