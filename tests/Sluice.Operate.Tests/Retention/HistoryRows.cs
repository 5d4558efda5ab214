using System.Globalization;
using Sluice.Core.Warehouse;

namespace Sluice.Operate.Tests.Retention;

/// <summary>
/// Rows of every <c>_sluice</c> history table, each written with whether a prune at
/// <see cref="Now"/> with a 90-day limit must keep it, so that tests compare what is left against
/// what was written rather than against the pruner's own counts.
/// </summary>
public sealed class HistoryRows
{
    /// <summary>The time the tests prune at.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Each table's written rows: label → kept.</summary>
    public Dictionary<string, Dictionary<string, bool>> Expected { get; } = [];

    /// <summary>The labels of the rows a prune must keep in <paramref name="table"/>.</summary>
    public IEnumerable<string> Kept(string table) => Expected[table].Where(e => e.Value).Select(e => e.Key).Order(StringComparer.Ordinal);

    /// <summary>How many rows of <paramref name="table"/> a prune must delete.</summary>
    public long Deleted(string table) => Expected[table].Count(e => !e.Value);

    private static DateTimeOffset DaysAgo(double days) => Now.AddDays(-days);

    /// <summary>Writes the rows; the schema must be migrated.</summary>
    public async Task WriteAsync(IWarehouseSession session)
    {
        // Job runs. Partition 2025-01-01: built twice, the newer build stays. 2025-01-03: the
        // superseded build goes, the newer one stays. m_table's newest success and newest run
        // stay. A RUNNING row stays. Invocation C is the latest: its rows stay, recent or not.
        await JobAsync(session, "j1", "A", "m_daily", "2025-01-01", "SUCCESS", 300, kept: false);
        await JobAsync(session, "j2", "B", "m_daily", "2025-01-01", "SUCCESS", 200, kept: true);
        await JobAsync(session, "j3", "B", "m_daily", "2025-01-02", "FAILED", 199.9, kept: false);
        await JobAsync(session, "j4", "A", "m_daily", "2025-01-03", "SUCCESS", 305, kept: false, supersededBy: "B");
        await JobAsync(session, "j5", "B", "m_daily", "2025-01-03", "SUCCESS", 199.8, kept: true);
        await JobAsync(session, "j6", "A", "m_table", null, "SUCCESS", 280, kept: true);
        await JobAsync(session, "j8", "B", "m_table", null, "FAILED", 270, kept: true);
        await JobAsync(session, "j9", "A", "m_table", null, "SUCCESS", 310, kept: false);
        await JobAsync(session, "j10", "A", "m_daily", "2025-01-06", "RUNNING", 350, kept: true);
        await JobAsync(session, "j7", "C", "m_daily", "2025-01-04", "SUCCESS", 149, kept: true);
        await JobAsync(session, "j11", "C", "m_seed", null, "SKIPPED", 150, kept: true);
        await JobAsync(session, "j12", "C", "m_daily", "2025-01-02", "FAILED", 150, kept: true);
        await JobAsync(session, "j14", "C", "m_daily", "2025-01-05", "FAILED", 5, kept: true);

        // m_weekly's newest row asked again for a built partition (SKIPPED, ALREADY_BUILT): it
        // changed nothing, so status's last run is the failure before it, which stays; it goes.
        await JobAsync(session, "j15", "D", "m_weekly", "2025-01-06", "SUCCESS", 350, kept: true);
        await JobAsync(session, "j16", "D", "m_weekly", "2025-01-13", "FAILED", 340, kept: true);
        await JobAsync(session, "j17", "E", "m_weekly", "2025-01-06", "SKIPPED", 330, kept: false, skipReason: "ALREADY_BUILT");

        // Sync runs. orders: the newest run and the newest success stay, and a running one. users:
        // a run going when the latest build of a partition (j2, 200 days ago) started stays; one
        // going when an older build (j1) started goes.
        await SyncAsync(session, "s1", "orders", "success", 300, 299.9, kept: false);
        await SyncAsync(session, "s2", "orders", "success", 200.5, 200.4, kept: true);
        await SyncAsync(session, "s3", "orders", "failed", 190, 189.9, kept: true);
        await SyncAsync(session, "s4", "orders", "running", 400, null, kept: true);
        await SyncAsync(session, "s5", "users", "success", 3, 2.9, kept: true);
        await SyncAsync(session, "s6", "users", "success", 250, 249.99, kept: false);
        await SyncAsync(session, "s7", "users", "success", 200.01, 199.99, kept: true);
        await SyncAsync(session, "s8", "users", "success", 300.01, 299.99, kept: false);

        // Check results: the latest of each check stays, all rows of it when a run wrote several.
        await CheckAsync(session, "c1", "not_null_x", 200, kept: false);
        await CheckAsync(session, "c2", "not_null_x", 100, kept: true);
        await CheckAsync(session, "c3", "unique_y", 300, kept: true);
        await CheckAsync(session, "c4", "unique_y", 300, kept: true);
        await CheckAsync(session, "c5", "unique_y", 400, kept: false);
        await CheckAsync(session, "c6", "accepted_z", 1, kept: true);

        // Parity: the latest check of each table stays, its total and its days.
        await ParityAsync(session, "orders", null, 200, kept: false);
        await ParityAsync(session, "orders", "2025-01-01", 200, kept: false);
        await ParityAsync(session, "orders", null, 100, kept: true);
        await ParityAsync(session, "users", null, 300, kept: true);
        await ParityAsync(session, "users", "2025-01-01", 300, kept: true);

        // Schedule runs: the latest of each schedule stays, and a RUNNING one.
        await ScheduleRunAsync(session, "r1", "nightly", "SUCCESS", 200, kept: false);
        await ScheduleRunAsync(session, "r2", "nightly", "FAILED", 150, kept: true);
        await ScheduleRunAsync(session, "r3", "hourly", "RUNNING", 400, kept: true);
        await ScheduleRunAsync(session, "r4", "hourly", "SUCCESS", 0.5, kept: true);
        await ScheduleRunAsync(session, "r5", "hourly", "SUCCESS", 300, kept: false);

        // Notifications: the latest delivery to each channel stays.
        await NotificationAsync(session, "n1", "slack", 200, kept: false);
        await NotificationAsync(session, "n2", "slack", 150, kept: false);
        await NotificationAsync(session, "n3", "pager", 300, kept: true);
        await NotificationAsync(session, "n4", "slack", 2, kept: true);

        await EventAsync(session, "e1", 200, kept: false);
        await EventAsync(session, "e2", 10, kept: true);

        // Silences: one that ended long ago goes; an open one stays however old its start.
        await SilenceAsync(session, "a1", 300, 200, kept: false);
        await SilenceAsync(session, "a2", 300, -10, kept: true);
        await SilenceAsync(session, "a3", 20, 10, kept: true);

        // Budgets: a period goes once it ended before the cutoff (2025-12-02 09:00 UTC).
        await BudgetAsync(session, "daily", "2025-06-01", kept: false);
        await BudgetAsync(session, "daily", "2025-12-01", kept: false);
        await BudgetAsync(session, "daily", "2025-12-02", kept: true);
        await BudgetAsync(session, "daily", "2026-03-02", kept: true);
        await BudgetAsync(session, "monthly", "2025-11-01", kept: false);
        await BudgetAsync(session, "monthly", "2025-12-01", kept: true);
        await BudgetAsync(session, "monthly", "2026-03-01", kept: true);
    }

    /// <summary>Writes a row, old, in each state table.</summary>
    public static async Task WriteStateAsync(IWarehouseSession session)
    {
        var old = DaysAgo(1000);
        await session.ExecuteAsync("insert into _sluice.sync_state (source, table_name, cursor_column, watermark, syncs, updated_at) values ('app', 'orders', 'updated_at', '2023-01-01', 3, $1)", [old]);
        await session.ExecuteAsync("insert into _sluice.csv_files (source, table_name, file_name, size_bytes, sha256, rows_loaded, loaded_at) values ('files', 'f', 'f.csv', 1, 'x', 1, $1)", [old]);
        await session.ExecuteAsync("insert into _sluice.rollups (rollup_table, model, definition, built_at) values ('r', 'm', 'd', $1)", [old]);
        await session.ExecuteAsync("insert into _sluice.schedules (name, last_tick, last_status, next_due, updated_at) values ('nightly', $1, 'SUCCESS', $1, $1)", [old]);
        await session.ExecuteAsync("insert into _sluice.alert_states (rule_name, subject, state, consecutive, since, summary, updated_at) values ('r', 's', 'FIRING', 3, $1, 'x', $1)", [old]);
    }

    /// <summary>The labels of the rows left in <paramref name="table"/>, as <see cref="Expected"/> names them.</summary>
    public static async Task<IReadOnlyList<string>> LeftAsync(IWarehouseSession session, string table)
    {
        var clickHouse = session.Warehouse.Engine == "clickhouse";
        var label = table switch
        {
            "sync_runs" => "run_id",
            "parity_checks" when clickHouse => "concat(table_name, '/', ifNull(toString(day), 'total'), '/', toString(toUnixTimestamp(checked_at)))",
            "parity_checks" => "table_name || '/' || coalesce(cast(day as varchar), 'total') || '/' || cast(cast(extract(epoch from checked_at) as bigint) as varchar)",
            "query_budgets" when clickHouse => "concat(period, '/', toString(period_start))",
            "query_budgets" => "period || '/' || cast(period_start as varchar)",
            _ => "id",
        };
        var left = new List<string>();
        await using var reader = await session.QueryAsync($"select {label} from _sluice.{table}");
        while (await reader.ReadAsync())
        {
            left.Add(reader.GetString(0));
        }

        return [.. left.Order(StringComparer.Ordinal)];
    }

    private void Expect(string table, string label, bool kept) =>
        (Expected.TryGetValue(table, out var rows) ? rows : Expected[table] = [])[label] = kept;

    private Task JobAsync(IWarehouseSession session, string id, string invocation, string job, string? day, string status, double daysAgo, bool kept, string? supersededBy = null, string? skipReason = null)
    {
        Expect("job_runs", id, kept);
        var started = DaysAgo(daysAgo);
        DateOnly? target = day is null ? null : DateOnly.Parse(day, CultureInfo.InvariantCulture);
        return session.ExecuteAsync(
            "insert into _sluice.job_runs (id, invocation_id, job_name, kind, run_date, target_date, status, started_at, completed_at, host, pid, superseded_by, skip_reason) values ($1, $2, $3, 'model', $4, $5, $6, $7, $8, 'h', 1, $9, $10)",
            [id, invocation, job, DateOnly.FromDateTime(started.UtcDateTime), target, status, started, status == "RUNNING" ? null : started.AddMinutes(1), supersededBy, status == "SKIPPED" ? skipReason ?? "UPSTREAM" : null]);
    }

    private Task SyncAsync(IWarehouseSession session, string id, string table, string status, double startedDaysAgo, double? completedDaysAgo, bool kept)
    {
        Expect("sync_runs", id, kept);
        return session.ExecuteAsync(
            "insert into _sluice.sync_runs (run_id, source, table_name, mode, status, started_at, completed_at, rows_read, rows_upserted, rows_deleted, bytes) values ($1, 'app', $2, 'incremental', $3, $4, $5, 1, 1, 0, 10)",
            [id, table, status, DaysAgo(startedDaysAgo), completedDaysAgo is { } c ? DaysAgo(c) : null]);
    }

    private Task CheckAsync(IWarehouseSession session, string id, string check, double daysAgo, bool kept)
    {
        Expect("check_results", id, kept);
        return session.ExecuteAsync(
            "insert into _sluice.check_results (id, run_id, check_name, check_type, severity, status, sample, location, duration_ms, checked_at) values ($1, 'run', $2, 'not_null', 'error', 'fail', '[{\"id\": 1}]', 'models/schema.yml:3', 5, $3)",
            [id, check, DaysAgo(daysAgo)]);
    }

    private Task ParityAsync(IWarehouseSession session, string table, string? day, double daysAgo, bool kept)
    {
        var at = DaysAgo(daysAgo);
        Expect("parity_checks", $"{table}/{day ?? "total"}/{at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}", kept);
        return session.ExecuteAsync(
            "insert into _sluice.parity_checks (checked_at, source, table_name, day, source_count, warehouse_count, mismatches, mismatch_ratio) values ($1, 'app', $2, $3, 10, 10, 0, 0)",
            [at, table, day is null ? null : DateOnly.Parse(day, CultureInfo.InvariantCulture)]);
    }

    private Task ScheduleRunAsync(IWarehouseSession session, string id, string schedule, string status, double daysAgo, bool kept)
    {
        Expect("schedule_runs", id, kept);
        return session.ExecuteAsync(
            "insert into _sluice.schedule_runs (id, schedule_name, reason, status, attempts, started_at) values ($1, $2, 'cron', $3, 1, $4)",
            [id, schedule, status, DaysAgo(daysAgo)]);
    }

    private Task NotificationAsync(IWarehouseSession session, string id, string channel, double daysAgo, bool kept)
    {
        Expect("notifications", id, kept);
        var at = DaysAgo(daysAgo);
        return session.ExecuteAsync(
            "insert into _sluice.notifications (id, channel, channel_type, kind, dedup_key, severity, title, occurred_at, status, attempts, started_at, completed_at, duration_ms) values ($1, $2, 'slack', 'test', 'k', 'info', 't', $3, 'delivered', 1, $3, $3, 0)",
            [id, channel, at]);
    }

    private Task EventAsync(IWarehouseSession session, string id, double daysAgo, bool kept)
    {
        Expect("alert_events", id, kept);
        return session.ExecuteAsync(
            "insert into _sluice.alert_events (id, rule_name, subject, kind, severity, occurred_at, summary, notify, silenced) values ($1, 'r', 's', 'FIRING', 'error', $2, 'x', true, false)",
            [id, DaysAgo(daysAgo)]);
    }

    private Task SilenceAsync(IWarehouseSession session, string id, double startedDaysAgo, double endsDaysAgo, bool kept)
    {
        Expect("alert_silences", id, kept);
        return session.ExecuteAsync(
            "insert into _sluice.alert_silences (id, rule_name, starts_at, ends_at, created_by) values ($1, 'r', $2, $3, 'ops')",
            [id, DaysAgo(startedDaysAgo), DaysAgo(endsDaysAgo)]);
    }

    private Task BudgetAsync(IWarehouseSession session, string period, string start, bool kept)
    {
        Expect("query_budgets", $"{period}/{start}", kept);
        return session.ExecuteAsync(
            "insert into _sluice.query_budgets (subject, period, period_start, query_limit, queries_used, updated_at) values ('tenant:a', $1, $2, 100, 7, $3)",
            [period, DateOnly.Parse(start, CultureInfo.InvariantCulture), Now]);
    }
}
