namespace Sluice.Operate.Retention;

/// <summary>
/// The tables of <c>_sluice</c> that grow with every run, and which of their rows stay however
/// old they are, because some part of Sluice reads them as state:
/// <list type="bullet">
/// <item><c>job_runs</c>: RUNNING rows; the newest SUCCESS row of each model partition (and of
/// each unpartitioned model) that no full refresh superseded, which builds, backfills, stale
/// partition detection, <c>partition_late</c> alerts and <c>sluice status</c> read as "built";
/// the newest row of each job (status's last run); every row of the latest invocation (the
/// server's health) — the last two passing over partitions left alone because they were built
/// before, as status and health do.</item>
/// <item><c>sync_runs</c>: running rows; the newest run and the newest successful run of each
/// table (freshness alerts, data versions); runs that were going when the latest build of a
/// partition started (stale partition detection compares against them).</item>
/// <item><c>check_results</c>: the latest result of each check (check alerts).</item>
/// <item><c>parity_checks</c>: the latest check of each table (parity alerts).</item>
/// <item><c>schedule_runs</c>: RUNNING rows and the latest run of each schedule (schedule alerts, <c>/schedules</c>).</item>
/// <item><c>notifications</c>: the latest delivery to each channel (<c>sluice channels</c>).</item>
/// <item><c>alert_silences</c>: silences that have not ended before the cutoff, so every open one.</item>
/// <item><c>query_budgets</c>: the periods that end after the cutoff, so every current one.</item>
/// </list>
/// Every other table of <c>_sluice</c> is state (<see cref="StateTables"/>) and is never pruned.
/// </summary>
public static class HistoryTables
{
    /// <summary>Runs of models, seeds, snapshots and partitions.</summary>
    public static HistoryTable JobRunsTable { get; } = new("job_runs", "started_at", (t, q, cutoff) => ($"""
        started_at < $1
        and status <> 'RUNNING'
        and id not in (
            select id from ({q.FirstPerGroup("id", t, "status = 'SUCCESS' and superseded_by is null", "job_name, target_date", "started_at desc, id desc")}) as built)
        and id not in (
            select id from ({q.FirstPerGroup("id", t, NotAlreadyBuilt, "job_name", "started_at desc, id desc")}) as latest)
        and invocation_id not in (
            select invocation_id from (select invocation_id, started_at, id from {t} where {NotAlreadyBuilt} order by started_at desc, id desc limit 1) as newest)
        """, [cutoff]), ["id"]);

    // Status's last run and the server's latest invocation pass over partitions left alone
    // because they were built before (SKIPPED, ALREADY_BUILT), so the rows kept for them do too.
    private const string NotAlreadyBuilt = "(skip_reason is null or skip_reason <> 'ALREADY_BUILT')";

    /// <summary>All history tables, in the order they are pruned: sync_runs after job_runs, whose kept builds it keeps its runs for.</summary>
    public static IReadOnlyList<HistoryTable> All { get; } =
    [
        JobRunsTable,
        new("sync_runs", "started_at", (t, q, cutoff) => ($"""
            started_at < $1
            and status <> 'running'
            and run_id not in (
                select run_id from ({q.FirstPerGroup("run_id", t, "1 = 1", "source, table_name", "started_at desc, run_id desc")}) as latest)
            and run_id not in (
                select run_id from ({q.FirstPerGroup("run_id", t, "lower(status) = 'success' and completed_at is not null", "source, table_name", "completed_at desc, run_id desc")}) as succeeded)
            and run_id not in (
                select run_id from ({q.RowsGoingAt("run_id", t, "started_at", "completed_at", $"""
                    select max(started_at) as built_at
                    from {q.Quote(JobRunsTable.Table)}
                    where status = 'SUCCESS' and target_date is not null and superseded_by is null
                    group by job_name, target_date
                    """, "built_at")}) as going)
            """, [cutoff]), ["run_id"]),
        new("check_results", "checked_at", (t, q, cutoff) => ($"""
            checked_at < $1
            and id not in (select id from ({q.RowsAtGroupMax("id", t, "check_name", "checked_at")}) as latest)
            """, [cutoff]), ["id"]),
        new("parity_checks", "checked_at", (t, q, cutoff) => ($"""
            checked_at < $1
            and {q.NotGroupMax(t, ["source", "table_name"], "checked_at")}
            """, [cutoff]), ["source", "table_name", "checked_at"]),
        new("schedule_runs", "started_at", (t, q, cutoff) => ($"""
            started_at < $1
            and status <> 'RUNNING'
            and id not in (select id from ({q.RowsAtGroupMax("id", t, "schedule_name", "started_at")}) as latest)
            """, [cutoff]), ["id"]),
        new("notifications", "completed_at", (t, q, cutoff) => ($"""
            completed_at < $1
            and id not in (
                select id from ({q.FirstPerGroup("id", t, "1 = 1", "channel", "completed_at desc, id desc")}) as latest)
            """, [cutoff]), ["id"]),
        new("alert_events", "occurred_at", (t, q, cutoff) => ("occurred_at < $1", [cutoff])),
        new("alert_silences", "ends_at", (t, q, cutoff) => ("ends_at < $1", [cutoff])),

        // A period is history once it has ended: a day the midnight after it, a month on the
        // first of the next. Dates are UTC, as the budgets count them.
        new("query_budgets", "period_start", (t, q, cutoff) =>
        {
            var day = DateOnly.FromDateTime(cutoff.UtcDateTime);
            return ("(period = 'daily' and period_start < $1) or (period = 'monthly' and period_start < $2)", [day, new DateOnly(day.Year, day.Month, 1)]);
        }),
    ];

    /// <summary>The tables of <c>_sluice</c> that hold state and are never pruned.</summary>
    public static IReadOnlyList<string> StateTables { get; } = ["schema_version", "sync_state", "csv_files", "rollups", "schedules", "alert_states"];

    /// <summary>The history table named <paramref name="name"/>, or null.</summary>
    public static HistoryTable? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
