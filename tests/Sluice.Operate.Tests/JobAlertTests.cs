using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Operate.Alerts;
using Sluice.Testing;
using Sluice.Warehouses;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Tests;

/// <summary>
/// The job_failed and job_rows conditions, read from <c>_sluice.job_runs</c> the same way on every
/// warehouse: each engine's class inherits these tests, and each test has a warehouse of its own.
/// </summary>
public abstract class JobAlertTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 3, 1);

    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-job-alerts-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<(string Rule, AlertEventKind Kind, string Subject)> _told = new();
    private IWarehouse _warehouse = null!;

    /// <summary>Settings of an empty warehouse of the engine under test.</summary>
    protected abstract Task<WarehouseSettings> WarehouseAsync();

    /// <summary>Stops what <see cref="WarehouseAsync"/> started, if anything.</summary>
    protected virtual ValueTask DisposeEngineAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync()
    {
        _warehouse = WarehouseFactory.Create(await WarehouseAsync(), _directory);
        await using var session = await _warehouse.OpenSessionAsync();
        await MetadataSchema.MigrateAsync(session);
    }

    public async Task DisposeAsync()
    {
        await _warehouse.DisposeAsync();
        await DisposeEngineAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_failed_job_fires_with_its_error_per_partition_and_resolves_when_a_retry_succeeds()
    {
        var now = _clock.GetUtcNow();
        var error = "models/marts/fct_orders.sql: Binder Error: column \"amount\" not found\nLINE 3:   select amount,\n" + new string('x', 500);
        await RunAsync("fct_orders", "SUCCESS", now.AddHours(-3), Day.AddDays(-1), rows: 10);
        await RunAsync("fct_orders", "FAILED", now.AddHours(-1), Day, error: error);
        await RunAsync("fct_daily", "FAILED", now.AddHours(-4), error: "timeout");
        await RunAsync("fct_daily", "SUCCESS", now.AddHours(-2), rows: 5);

        // A post_hook's failure is a FAILED row after the run's SUCCESS; a SKIPPED run ends nothing.
        await RunAsync("fct_hook", "SUCCESS", now.AddHours(-2), rows: 5);
        await RunAsync("fct_hook", "FAILED", now.AddHours(-2).AddSeconds(1), error: "post_hook failed: permission denied (after run r1 had committed its rows, which stay)");
        await RunAsync("fct_hook", "SKIPPED", now.AddHours(-1), error: "skipped because 'stg_orders', which it depends on, failed");

        await RunAsync("fct_old", "FAILED", now.AddHours(-30), error: "long ago");
        await RunAsync("stg_orders", "FAILED", now.AddMinutes(-30), error: null);
        await RunAsync("fct_running", "RUNNING", null);

        var engine = Engine(
            Rule("facts-failed", new JobFailedCondition(["fct_*"], TimeSpan.FromHours(24))),
            Rule("any-failed", new JobFailedCondition([], TimeSpan.FromHours(24))));
        var fired = (await engine.EvaluateAsync()).ToDictionary(t => (t.Alert.Rule, t.Alert.Subject), t => t.Alert);

        Assert.Equal(
            [("any-failed", "fct_hook"), ("any-failed", "fct_orders 2026-03-01"), ("any-failed", "stg_orders"), ("facts-failed", "fct_hook"), ("facts-failed", "fct_orders 2026-03-01")],
            fired.Keys.Order());
        var orders = fired[("facts-failed", "fct_orders 2026-03-01")].Summary;
        Assert.StartsWith("fct_orders 2026-03-01: the latest run failed at 2026-03-02 08:00 UTC: models/marts/fct_orders.sql: Binder Error: column \"amount\" not found LINE 3: select amount, xxx", orders);
        Assert.EndsWith("x…", orders);
        Assert.DoesNotContain('\n', orders);
        Assert.Equal("fct_hook: the latest run failed at 2026-03-02 07:00 UTC: post_hook failed: permission denied (after run r1 had committed its rows, which stay)", fired[("facts-failed", "fct_hook")].Summary);
        Assert.Equal("stg_orders: the latest run failed at 2026-03-02 08:30 UTC: no error was recorded", fired[("any-failed", "stg_orders")].Summary);

        await using (var session = await _warehouse.OpenSessionAsync())
        {
            var overview = await AlertsOverview.ReadAsync(session, engine.Rules, _clock.GetUtcNow(), 10, CancellationToken.None);
            var facts = overview.Rules[0];
            Assert.Equal(("facts-failed", "job_failed", "FIRING"), (facts.Name, facts.Condition, facts.State));
            Assert.Equal(["fct_hook", "fct_orders 2026-03-01"], facts.Alerts.Select(a => a.Subject));
        }

        // The partition is built again: its alert resolves, the job's other alerts stand.
        _clock.Advance(TimeSpan.FromMinutes(5));
        await RunAsync("fct_orders", "SUCCESS", _clock.GetUtcNow(), Day, rows: 12);
        var resolved = await engine.EvaluateAsync();
        Assert.Equal(
            [("any-failed", AlertEventKind.Resolved, "fct_orders 2026-03-01"), ("facts-failed", AlertEventKind.Resolved, "fct_orders 2026-03-01")],
            resolved.Select(t => (t.Alert.Rule, t.Kind, t.Alert.Subject)).Order());

        // A day on, the other failures have left the window.
        _clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal(
            [("any-failed", "fct_hook"), ("any-failed", "stg_orders"), ("facts-failed", "fct_hook")],
            (await engine.EvaluateAsync()).Where(t => t.Kind == AlertEventKind.Resolved).Select(t => (t.Alert.Rule, t.Alert.Subject)).Order());
        Assert.Equal(0L, await ScalarAsync("select count(*) from _sluice.alert_states"));
    }

    [Fact]
    public async Task A_drop_of_rows_processed_fires_past_the_threshold_of_the_median_and_needs_enough_runs()
    {
        var now = _clock.GetUtcNow();
        foreach (var job in new[] { "fct_big", "fct_near", "fct_young" })
        {
            // The median of these is 1,000; a run older than the window before the latest does not count.
            long[] baseline = job == "fct_young" ? [1_000, 1_000] : [1_000, 900, 1_100, 1_000, 50_000];
            for (var i = 0; i < baseline.Length; i++)
            {
                await RunAsync(job, "SUCCESS", now.AddDays(-1 - i), rows: baseline[i]);
            }

            await RunAsync(job, "SUCCESS", now.AddDays(-9), rows: 1);
            await RunAsync(job, "FAILED", now.AddMinutes(-1), error: "a later failure changes nothing");
        }

        await RunAsync("fct_big", "SUCCESS", now.AddHours(-1), rows: 490);
        await RunAsync("fct_near", "SUCCESS", now.AddHours(-1), rows: 510);
        await RunAsync("fct_young", "SUCCESS", now.AddHours(-1), rows: 10);

        // Each partition's run is one run; runs a full refresh superseded still count.
        for (var i = 1; i <= 4; i++)
        {
            await RunAsync("fct_parts", "SUCCESS", now.AddDays(-i), Day.AddDays(-i), rows: 1_000, supersededBy: i > 2 ? "refresh" : null);
        }

        await RunAsync("fct_parts", "SUCCESS", now.AddHours(-2), Day, rows: 100);
        // A view's runs count no rows: nothing to drop from. A run without a count is left out.
        for (var i = 1; i <= 3; i++)
        {
            await RunAsync("fct_view", "SUCCESS", now.AddDays(-i), rows: 0);
        }

        await RunAsync("fct_view", "SUCCESS", now.AddHours(-2), rows: 0);
        await RunAsync("fct_view", "SUCCESS", now.AddHours(-1), rows: null);

        var engine = Engine(
            Rule("rows", new JobRowsCondition(["fct_*"], 50, TimeSpan.FromDays(7), 3)),
            Rule("rows-two", new JobRowsCondition(["fct_young", "fct_near"], 50, TimeSpan.FromDays(7), 2)),
            Rule("rows-parts", new JobRowsCondition(["*_parts"], 95, TimeSpan.FromDays(7), 3)));
        var fired = (await engine.EvaluateAsync()).ToDictionary(t => (t.Alert.Rule, t.Alert.Subject), t => t.Alert);

        Assert.Equal([("rows", "fct_big"), ("rows", "fct_parts"), ("rows-two", "fct_young")], fired.Keys.Order());
        Assert.Equal(51, fired[("rows", "fct_big")].Value!.Value, precision: 6);
        Assert.Equal(
            "fct_big: the latest run processed 490 row(s), 51% below the median of 1,000 of its 5 successful run(s) in the 7 days before it, a drop above 50%",
            fired[("rows", "fct_big")].Summary);
        Assert.Equal(
            "fct_parts: the latest run (partition 2026-03-01) processed 100 row(s), 90% below the median of 1,000 of its 4 successful run(s) in the 7 days before it, a drop above 50%",
            fired[("rows", "fct_parts")].Summary);
        Assert.StartsWith("fct_young: the latest run processed 10 row(s), 99% below the median of 1,000 of its 2 successful run(s)", fired[("rows-two", "fct_young")].Summary);

        // Back to normal: the drop resolves.
        _clock.Advance(TimeSpan.FromHours(1));
        await RunAsync("fct_big", "SUCCESS", _clock.GetUtcNow(), rows: 1_020);
        Assert.Equal(
            [("rows", AlertEventKind.Resolved, "fct_big")],
            (await engine.EvaluateAsync()).Select(t => (t.Alert.Rule, t.Kind, t.Alert.Subject)));
    }

    private AlertEngine Engine(params AlertRule[] rules) =>
        new(rules, _warehouse.OpenSessionAsync, new AlertProbes(), (rule, transition, _) =>
        {
            _told.Enqueue((rule.Name, transition.Kind, transition.Alert.Subject));
            return Task.CompletedTask;
        }, _clock);

    private static AlertRule Rule(string name, AlertCondition condition) =>
        new(name, condition, AlertSeverity.Warning, 1, TimeSpan.FromMinutes(5), null, [], null, true, 1);

    // A run as the model runner records it: finished at completedAt (null while RUNNING), a minute after it started.
    private async Task RunAsync(string job, string status, DateTimeOffset? completedAt, DateOnly? partition = null, long? rows = null, string? error = null, string? supersededBy = null)
    {
        var startedAt = (completedAt ?? _clock.GetUtcNow()).AddMinutes(-1);
        await using var session = await _warehouse.OpenSessionAsync();
        await session.ExecuteAsync(
            """
            insert into _sluice.job_runs (id, invocation_id, job_name, kind, run_date, target_date, status, rows_processed, error_message, started_at, completed_at, host, pid, superseded_by)
            values ($1, 'i', $2, 'model', $3, $4, $5, $6, $7, $8, $9, 'h', 1, $10)
            """,
            [Guid.NewGuid().ToString("N"), job, DateOnly.FromDateTime(startedAt.UtcDateTime), partition, status, rows, error, startedAt, completedAt, supersededBy]);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var session = await _warehouse.OpenSessionAsync();
        return Convert.ToInt64(await session.ScalarAsync(sql));
    }
}

public sealed class DuckDbJobAlertTests : JobAlertTests
{
    protected override Task<WarehouseSettings> WarehouseAsync() => Task.FromResult<WarehouseSettings>(new DuckDbWarehouseSettings("warehouse.duckdb"));
}

public sealed class PostgresJobAlertTests : JobAlertTests
{
    protected override async Task<WarehouseSettings> WarehouseAsync() =>
        new PostgresWarehouseSettings(await (await PostgresServer.GetAsync()).CreateDatabaseAsync("job_alerts"));
}
