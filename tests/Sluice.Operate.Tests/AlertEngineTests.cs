using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Operate.Alerts;
using Sluice.Warehouses;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Tests;

public sealed class AlertEngineTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-alert-engine-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<(string Rule, AlertEventKind Kind, string Subject)> _told = new();
    private IWarehouse _warehouse = null!;

    public async Task InitializeAsync()
    {
        _warehouse = WarehouseFactory.Create(new DuckDbWarehouseSettings("warehouse.duckdb"), _directory);
        await using var session = await _warehouse.OpenSessionAsync();
        await MetadataSchema.MigrateAsync(session);
    }

    public async Task DisposeAsync()
    {
        await _warehouse.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_failing_check_fires_once_is_renotified_after_the_interval_and_resolves_when_it_passes()
    {
        var engine = Engine(Rule("checks", new CheckFailedCondition(["not_null_*"], false), renotify: TimeSpan.FromHours(1)));
        await CheckAsync("not_null_orders_id", "fail", 3);
        await CheckAsync("unique_orders_id", "fail", 1);
        await CheckAsync("not_null_orders_day", "pass", 0);

        Assert.Equal([AlertEventKind.Firing], (await engine.EvaluateAsync()).Select(t => t.Kind));
        Assert.Equal([("checks", AlertEventKind.Firing, "not_null_orders_id")], _told);

        // Still failing: no second notification while firing …
        _clock.Advance(TimeSpan.FromMinutes(5));
        await CheckAsync("not_null_orders_id", "fail", 4);
        Assert.Empty(await engine.EvaluateAsync());

        // … until the renotify interval has passed since the last one.
        _clock.Advance(TimeSpan.FromMinutes(55));
        Assert.Equal([AlertEventKind.Renotified], (await engine.EvaluateAsync()).Select(t => t.Kind));

        _clock.Advance(TimeSpan.FromMinutes(5));
        await CheckAsync("not_null_orders_id", "pass", 0);
        Assert.Equal([AlertEventKind.Resolved], (await engine.EvaluateAsync()).Select(t => t.Kind));

        Assert.Equal([AlertEventKind.Firing, AlertEventKind.Renotified, AlertEventKind.Resolved], _told.Select(t => t.Kind));
        Assert.Equal(
            [("FIRING", "not_null_orders_id", (double?)3), ("RENOTIFIED", "not_null_orders_id", 4), ("RESOLVED", "not_null_orders_id", 4)],
            await EventsAsync());
        Assert.Equal(0L, await ScalarAsync("select count(*) from _sluice.alert_states"));
    }

    [Fact]
    public async Task A_rule_with_for_2_fires_on_the_second_evaluation_and_a_silence_keeps_it_quiet()
    {
        var engine = Engine(Rule("parity", new ParityCondition(null, 0.005), @for: 2));
        await ParityAsync("app", "emails", mismatches: 12, ratio: 0.012);

        Assert.Equal([AlertEventKind.Pending], (await engine.EvaluateAsync()).Select(t => t.Kind));
        await using (var session = await _warehouse.OpenSessionAsync())
        {
            await AlertStore.SilenceAsync(session, "parity", _clock.GetUtcNow(), _clock.GetUtcNow().AddHours(2), "known drift, being repaired", "test", CancellationToken.None);
        }

        _clock.Advance(TimeSpan.FromMinutes(5));
        var fired = Assert.Single(await engine.EvaluateAsync());
        Assert.Equal((AlertEventKind.Firing, false, true), (fired.Kind, fired.Notify, fired.Silenced));
        Assert.Equal("app.emails: parity found 12 mismatching row(s), a ratio of 1.20%, above 0.50%", fired.Alert.Summary);
        Assert.Empty(_told);

        // The silence over, the alert (still firing) is told at its next state change.
        _clock.Advance(TimeSpan.FromHours(2));
        await ParityAsync("app", "emails", mismatches: 0, ratio: 0);
        Assert.Equal([AlertEventKind.Resolved], (await engine.EvaluateAsync()).Select(t => t.Kind));
        Assert.Equal([("parity", AlertEventKind.Resolved, "app.emails")], _told);
    }

    [Fact]
    public async Task Job_durations_schedules_freshness_and_late_partitions_are_read_from_the_pipelines_records()
    {
        var now = _clock.GetUtcNow();
        await using (var session = await _warehouse.OpenSessionAsync())
        {
            // Twenty backfill runs, the slowest two at 400 s: the p95 (19th of 20) is 400 s.
            for (var i = 0; i < 20; i++)
            {
                await session.ExecuteAsync(
                    "insert into _sluice.job_runs (id, invocation_id, job_name, kind, run_date, status, duration_ms, started_at, host, pid) values ($1, 'i', 'mrt_backfill', 'model', $2, 'SUCCESS', $3, $4, 'h', 1)",
                    [$"run{i}", DateOnly.FromDateTime(now.UtcDateTime), i >= 18 ? 400_000L : 100_000L, now.AddHours(-i)]);
            }

            await session.ExecuteAsync("insert into _sluice.schedule_runs (id, schedule_name, reason, status, attempts, started_at, error_message) values ('s1', 'nightly', 'cron', 'FAILED', 3, $1, '`build` exited with code 1')", [now.AddHours(-6)]);
            await session.ExecuteAsync("insert into _sluice.schedules (name, next_due, updated_at) values ('hourly', $1, $1)", [now.AddMinutes(-40)]);
            await session.ExecuteAsync(
                "insert into _sluice.sync_runs (run_id, source, table_name, mode, status, started_at, completed_at, rows_read, rows_upserted, rows_deleted, bytes) values ('y1', 'app', 'emails', 'incremental', 'success', $1, $1, 1, 1, 0, 1)",
                [now.AddHours(-3)]);
        }

        var engine = Engine(
            Rule("slo", new JobDurationCondition(["mrt_*"], TimeSpan.FromSeconds(300), TimeSpan.FromDays(7))),
            Rule("schedules", new ScheduleCondition(null, true, true, TimeSpan.FromMinutes(15))),
            Rule("fresh", new FreshnessCondition(null, TimeSpan.FromHours(2))),
            Rule("late", new PartitionLateCondition("mrt_daily", new TimeOnly(6, 0), TimeZoneInfo.Utc)));
        var fired = (await engine.EvaluateAsync()).ToDictionary(t => (t.Alert.Rule, t.Alert.Subject), t => t.Alert);

        Assert.Equal(400, fired[("slo", "mrt_backfill")].Value);
        Assert.StartsWith("mrt_backfill: p95 duration over 7 days is 400 s (20 run(s))", fired[("slo", "mrt_backfill")].Summary);
        Assert.Equal("schedule nightly: the latest run ended FAILED: `build` exited with code 1", fired[("schedules", "nightly")].Summary);
        Assert.Equal(40 * 60, fired[("schedules", "hourly")].Value);
        Assert.Equal("app.emails was last synced 3 h ago, longer than 2 h", fired[("fresh", "app.emails")].Summary);
        Assert.Equal("mrt_daily: the partition of 2026-03-01 is not built, and it was due by 06:00 UTC", fired[("late", "mrt_daily")].Summary);
        Assert.Equal(5, fired.Count);
    }

    private AlertEngine Engine(params AlertRule[] rules) =>
        new(rules, _warehouse.OpenSessionAsync, new AlertProbes(), (rule, transition, _) =>
        {
            _told.Enqueue((rule.Name, transition.Kind, transition.Alert.Subject));
            return Task.CompletedTask;
        }, _clock);

    private static AlertRule Rule(string name, AlertCondition condition, int @for = 1, TimeSpan? renotify = null) =>
        new(name, condition, AlertSeverity.Warning, @for, TimeSpan.FromMinutes(5), renotify, [], null, true, 1);

    private async Task CheckAsync(string name, string status, long failing)
    {
        await using var session = await _warehouse.OpenSessionAsync();
        await session.ExecuteAsync(
            "insert into _sluice.check_results (id, run_id, check_name, check_type, model, severity, status, failing_rows, location, duration_ms, checked_at) values ($1, 'r', $2, 'not_null', 'orders', 'error', $3, $4, 'models/schema.yml:3', 1, $5)",
            [Guid.NewGuid().ToString("N"), name, status, failing, _clock.GetUtcNow()]);
    }

    private async Task ParityAsync(string source, string table, long mismatches, double ratio)
    {
        await using var session = await _warehouse.OpenSessionAsync();
        await session.ExecuteAsync(
            "insert into _sluice.parity_checks (checked_at, source, table_name, source_count, warehouse_count, mismatches, mismatch_ratio) values ($1, $2, $3, 1000, 1000, $4, $5)",
            [_clock.GetUtcNow(), source, table, mismatches, ratio]);
    }

    private async Task<List<(string Kind, string Subject, double? Value)>> EventsAsync()
    {
        await using var session = await _warehouse.OpenSessionAsync();
        await using var reader = await session.QueryAsync("select kind, subject, value from _sluice.alert_events order by occurred_at, kind");
        var events = new List<(string, string, double?)>();
        while (await reader.ReadAsync())
        {
            events.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDouble(2)));
        }

        return events;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var session = await _warehouse.OpenSessionAsync();
        return Convert.ToInt64(await session.ScalarAsync(sql));
    }
}
