using System.Globalization;
using Sluice.Models.State;
using Sluice.Testing;

namespace Sluice.Models.Tests;

/// <summary>
/// A partition asked for again after it was built is left alone and recorded as a SKIPPED run
/// whose skip_reason is ALREADY_BUILT, naming the build it stands on; a run skipped because
/// something it depends on failed is SKIPPED with UPSTREAM. Only the latter needs attention.
/// Every test runs on DuckDB and on PostgreSQL.
/// </summary>
public abstract class AlreadyBuiltRunsTests : ShopProjectTestBase
{
    private const string Revenue = "select order_date, orders, revenue from main_marts.fct_daily_revenue order by order_date";

    [Fact]
    public async Task A_second_build_of_a_built_day_records_a_skipped_run_that_names_the_build_and_changes_no_data()
    {
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));
        AssertAllSucceeded(await BuildAsync("+fct_daily_revenue", from: "2025-01-02", to: "2025-01-02"));
        var first = await LatestInvocationAsync();
        var builtAt = Assert.Single(await RowsAsync("select completed_at from _sluice.job_runs where job_name = 'fct_daily_revenue' and status = 'SUCCESS'"));
        var data = await RowsAsync(Revenue);

        var again = Assert.Single(await BuildAsync("fct_daily_revenue", from: "2025-01-02", to: "2025-01-02"));
        var second = await LatestInvocationAsync();

        Assert.Equal((JobStatus.Success, 0, 1), (again.Status, again.PartitionsBuilt, again.PartitionsSkipped));
        Assert.Equal(
            [$"2025-01-02|SKIPPED|ALREADY_BUILT|already built by invocation {first} at {builtAt} UTC; --force builds it again|0|0|0|0|0|true"],
            await RowsAsync($"""
                select cast(target_date as varchar), status, skip_reason, error_message, rows_processed, rows_inserted, rows_updated, rows_deleted, duration_ms, started_at = completed_at
                from _sluice.job_runs where invocation_id = '{second}'
                """));
        Assert.Equal(data, await RowsAsync(Revenue));
        Assert.Equal(1, await CountAsync("select count(*) from _sluice.job_runs where status = 'SUCCESS' and job_name = 'fct_daily_revenue'"));
    }

    [Fact]
    public async Task Force_builds_a_built_day_again_and_records_no_skipped_run()
    {
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));
        AssertAllSucceeded(await BuildAsync("+fct_daily_revenue", from: "2025-01-02", to: "2025-01-03"));

        var forced = Assert.Single(await BuildAsync("fct_daily_revenue", force: true, from: "2025-01-02", to: "2025-01-03"));
        var invocation = await LatestInvocationAsync();

        Assert.Equal((JobStatus.Success, 2, 0), (forced.Status, forced.PartitionsBuilt, forced.PartitionsSkipped));
        Assert.Equal(
            ["2025-01-02|SUCCESS|NULL", "2025-01-03|SUCCESS|NULL"],
            await RowsAsync($"select cast(target_date as varchar), status, skip_reason from _sluice.job_runs where invocation_id = '{invocation}' order by target_date"));
        Assert.Equal(0, await CountAsync("select count(*) from _sluice.job_runs where status = 'SKIPPED'"));
    }

    [Fact]
    public async Task A_partition_a_sync_made_stale_is_built_and_the_others_are_recorded_already_built()
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
        AssertAllSucceeded(await BuildAsync("+fct_daily_feed", from: "2025-01-01", to: "2025-01-03"));
        await Session.ExecuteAsync("insert into raw.app__feed (order_date, _sluice_synced_at) values (date '2025-01-02', current_timestamp)");

        var rerun = Assert.Single(await BuildAsync("fct_daily_feed", from: "2025-01-01", to: "2025-01-03"));
        var invocation = await LatestInvocationAsync();

        Assert.Equal((1, 2), (rerun.PartitionsBuilt, rerun.PartitionsSkipped));
        Assert.Equal(
            ["2025-01-01|SKIPPED|ALREADY_BUILT", "2025-01-02|SUCCESS|NULL", "2025-01-03|SKIPPED|ALREADY_BUILT"],
            await RowsAsync($"select cast(target_date as varchar), status, skip_reason from _sluice.job_runs where invocation_id = '{invocation}' order by target_date"));
    }

    [Fact]
    public async Task Status_counts_already_built_skips_apart_and_they_neither_need_attention_nor_hide_a_failure()
    {
        WriteModel("models/marts/fct_fragile.sql", """
            {{ config(materialized='incremental', partition_by='order_date') }}
            select order_date, {% if var('break', false) %}cast('broken' as integer){% else %}count(*){% endif %} as orders
            from {{ ref('int_paid_orders') }}
            where order_date >= '{{ partition_start }}' and order_date < '{{ partition_end }}'
            group by order_date
            """);
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));
        AssertAllSucceeded(await BuildAsync("+fct_fragile", from: "2025-01-02", to: "2025-01-02"));
        AssertAllSucceeded(await BuildAsync("fct_fragile", from: "2025-01-02", to: "2025-01-02"));
        var skipped = await LatestInvocationAsync();

        // Asked again for a built day: nothing to do, nothing to attend to.
        var status = await StatusAsync("fct_fragile", "2025-01-02");
        var fragile = Assert.Single(status.Resources);
        Assert.False(fragile.NeedsAttention);
        Assert.Equal(JobStatus.Success, fragile.LastRun?.Status);
        var summary = status.Invocations.Single(i => i.InvocationId == skipped);
        Assert.Equal((1, 0, 0, 0, 1, 0), (summary.Runs, summary.Succeeded, summary.Failed, summary.Skipped, summary.AlreadyBuilt, summary.Running));

        // A day that fails, then a built day asked for again: the failure still stands.
        var failed = Assert.Single(await BuildAsync("fct_fragile", vars: new Dictionary<string, object?> { ["break"] = true }, from: "2025-01-03", to: "2025-01-03"));
        Assert.Equal(JobStatus.Failed, failed.Status);
        AssertAllSucceeded(await BuildAsync("fct_fragile", from: "2025-01-02", to: "2025-01-02"));
        fragile = Assert.Single((await StatusAsync("fct_fragile", "2025-01-02")).Resources);
        Assert.Equal((true, JobStatus.Failed), (fragile.NeedsAttention, fragile.LastRun?.Status));
    }

    [Fact]
    public async Task A_run_skipped_because_what_it_depends_on_failed_needs_attention()
    {
        WriteModel("models/marts/broken.sql", "select no_such_column from {{ ref('stg_orders') }}\n");
        WriteModel("models/marts/after_broken.sql", """
            {{ config(materialized='incremental', partition_by='order_date') }}
            select * from {{ ref('broken') }}
            where order_date >= '{{ partition_start }}' and order_date < '{{ partition_end }}'
            """);
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));

        var after = (await BuildAsync("+after_broken", from: "2025-01-02", to: "2025-01-02")).Single(r => r.Name == "after_broken");

        Assert.Equal(JobStatus.Skipped, after.Status);
        Assert.Equal(["SKIPPED|UPSTREAM|NULL|skipped because 'broken', which it depends on, failed"], await RowsAsync("select status, skip_reason, cast(target_date as varchar), error_message from _sluice.job_runs where job_name = 'after_broken'"));
        var status = await StatusAsync("after_broken", "2025-01-02");
        var resource = Assert.Single(status.Resources);
        Assert.Equal((true, JobStatus.Skipped, SkipReason.Upstream), (resource.NeedsAttention, resource.LastRun?.Status, resource.LastRun?.SkipReason));
        var summary = Assert.Single(status.Invocations, i => i.Skipped > 0);
        Assert.Equal((1, 0), (summary.Skipped, summary.AlreadyBuilt));
    }

    [Fact]
    public async Task A_backfill_run_again_records_each_built_partition_as_already_built()
    {
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));
        AssertAllSucceeded(await BuildAsync("+fct_daily_revenue", from: "2025-01-01", to: "2025-01-10", concurrency: 2));
        var first = await LatestInvocationAsync();
        var data = await RowsAsync(Revenue);

        var again = Assert.Single(await BuildAsync("fct_daily_revenue", from: "2025-01-01", to: "2025-01-10", concurrency: 2));
        var second = await LatestInvocationAsync();

        Assert.Equal((JobStatus.Success, 0, 10), (again.Status, again.PartitionsBuilt, again.PartitionsSkipped));
        Assert.Equal(
            [.. Enumerable.Range(1, 10).Select(d => $"2025-01-{d:00}|SKIPPED|ALREADY_BUILT|{first}")],
            await RowsAsync($"""
                select cast(target_date as varchar), status, skip_reason, case when error_message like 'already built by invocation {first} at %' then '{first}' else error_message end
                from _sluice.job_runs where invocation_id = '{second}' order by target_date
                """));
        Assert.Equal(data, await RowsAsync(Revenue));
    }

    [Fact]
    public async Task Years_of_built_days_asked_for_again_are_all_recorded()
    {
        // Four years of days built by an earlier backfill (planted: building them would take
        // minutes), more than one statement of skipped runs holds.
        AssertAllSucceeded(await BuildAsync("resource_type:seed"));
        AssertAllSucceeded(await BuildAsync("+fct_daily_revenue", from: "2025-01-02", to: "2025-01-02"));
        await Session.ExecuteAsync("""
            insert into _sluice.job_runs (id, invocation_id, job_name, kind, run_date, target_date, status, started_at, completed_at, host, pid)
            select 'planted-' || cast(cast(d as date) as varchar), 'planted', 'fct_daily_revenue', 'model', current_date, cast(d as date), 'SUCCESS', current_timestamp, current_timestamp, 'h', 1
            from generate_series(timestamp '2021-01-01', timestamp '2024-12-31', interval '1 day') as g(d)
            """);

        var again = Assert.Single(await BuildAsync("fct_daily_revenue", from: "2021-01-01", to: "2024-12-31"));
        var invocation = await LatestInvocationAsync();

        Assert.Equal((JobStatus.Success, 0, 1461), (again.Status, again.PartitionsBuilt, again.PartitionsSkipped));
        Assert.Equal(
            ["1461|1461|1461|2021-01-01|2024-12-31"],
            await RowsAsync($"""
                select count(*), count(distinct target_date), count(*) filter (where skip_reason = 'ALREADY_BUILT' and error_message like 'already built by invocation planted at %'), cast(min(target_date) as varchar), cast(max(target_date) as varchar)
                from _sluice.job_runs where invocation_id = '{invocation}'
                """));
    }

    private async Task<StatusReport> StatusAsync(string model, string day)
    {
        var date = DateOnly.Parse(day, CultureInfo.InvariantCulture);
        return await RunHistory.ReadAsync(Session, Parse(), new HashSet<string> { model }, DateTimeOffset.UtcNow.AddHours(-1), date, date, CancellationToken.None);
    }

    private async Task<string> LatestInvocationAsync() =>
        (await RowsAsync("select invocation_id from _sluice.job_runs order by started_at desc, id desc limit 1")).Single();
}

public sealed class DuckDbAlreadyBuiltRunsTests : AlreadyBuiltRunsTests
{
    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresAlreadyBuiltRunsTests : AlreadyBuiltRunsTests
{
    protected override async Task<string?> ProfilesAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.DbtProfilesAsync("shop");
    }
}
