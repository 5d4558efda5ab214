using System.Data.Common;
using System.Globalization;
using Sluice.Server.Queries;
using Sluice.Warehouses.Metadata;

namespace Sluice.Server.Observability;

/// <summary>
/// The pipeline's side of <c>/metrics</c>, read from <c>_sluice</c> at each scrape, since jobs run
/// in other processes too: job runs by status, their durations as a histogram, the last success
/// per job, rows synced per table and check failures per check. The history only grows, so the
/// counters only grow.
/// </summary>
internal static class PipelineMetrics
{
    /// <summary>The upper bounds, in seconds, of the job-duration histogram's buckets.</summary>
    private static readonly double[] DurationBuckets = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

    /// <summary>Writes the families into <paramref name="text"/>.</summary>
    public static async Task WriteToAsync(PrometheusText text, QueryRunner runner, CancellationToken cancellationToken)
    {
        var schema = runner.Dialect.Quote(MetadataSchema.Name);
        await JobsAsync(text, runner, schema, cancellationToken);
        await SyncAsync(text, runner, schema, cancellationToken);

        var checks = await ReadAsync(
            runner,
            $"select check_name, status, count(*) from {schema}.check_results where status in ('fail', 'error') group by check_name, status order by check_name, status",
            r => (Check: r.GetString(0), Status: r.GetString(1), Count: QueryRunner.Long(r, 2)),
            cancellationToken);
        text.Family("sluice_check_failures_total", "counter", "Check results that failed (fail) or could not run (error), by check.");
        foreach (var (check, status, count) in checks)
        {
            text.Sample("sluice_check_failures_total", [new("check", check), new("status", status)], count);
        }
    }

    private static async Task JobsAsync(PrometheusText text, QueryRunner runner, string schema, CancellationToken cancellationToken)
    {
        var buckets = string.Join(", ", DurationBuckets.Select(b => $"cast({runner.Dialect.CountWhere(string.Create(CultureInfo.InvariantCulture, $"status = 'SUCCESS' and duration_ms <= {b * 1000:0}"))} as bigint)"));
        var jobs = await ReadAsync(
            runner,
            $"""
            select job_name, status, skip_reason, count(*), cast(coalesce(sum(duration_ms), 0) as bigint), max(completed_at), {buckets}
            from {schema}.job_runs
            where status <> 'RUNNING'
            group by job_name, status, skip_reason
            order by job_name, status, skip_reason
            """,
            r => (Job: r.GetString(0), Status: r.GetString(1), SkipReason: r.IsDBNull(2) ? null : r.GetString(2), Count: QueryRunner.Long(r, 3), DurationMs: QueryRunner.Long(r, 4),
                LastCompleted: r.IsDBNull(5) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(5),
                Buckets: Enumerable.Range(6, DurationBuckets.Length).Select(i => QueryRunner.Long(r, i)).ToArray()),
            cancellationToken);

        // SKIPPED runs carry why: UPSTREAM (something they depend on failed; worth an alert) or
        // ALREADY_BUILT (a partition asked for again; nothing to do). Other statuses have no reason.
        text.Family("sluice_job_runs_total", "counter", "Finished job runs (models, partitions, seeds, snapshots), by job and status, and for SKIPPED runs by skip_reason (UPSTREAM, ALREADY_BUILT).");
        foreach (var job in jobs)
        {
            KeyValuePair<string, string>[] labels = job.SkipReason is { } reason
                ? [new("job", job.Job), new("status", job.Status), new("skip_reason", reason)]
                : [new("job", job.Job), new("status", job.Status)];
            text.Sample("sluice_job_runs_total", labels, job.Count);
        }

        text.Family("sluice_job_duration_seconds", "histogram", "How long successful job runs took, by job.");
        foreach (var job in jobs.Where(j => j.Status == "SUCCESS"))
        {
            KeyValuePair<string, string>[] labels = [new("job", job.Job)];
            for (var i = 0; i < DurationBuckets.Length; i++)
            {
                text.Sample("sluice_job_duration_seconds_bucket", [.. labels, new("le", PrometheusText.Number(DurationBuckets[i]))], job.Buckets[i]);
            }

            text.Sample("sluice_job_duration_seconds_bucket", [.. labels, new("le", "+Inf")], job.Count);
            text.Sample("sluice_job_duration_seconds_sum", labels, job.DurationMs / 1000.0);
            text.Sample("sluice_job_duration_seconds_count", labels, job.Count);
        }

        text.Family("sluice_job_last_success_timestamp_seconds", "gauge", "When each job last succeeded, as Unix time.");
        foreach (var job in jobs.Where(j => j is { Status: "SUCCESS", LastCompleted: not null }))
        {
            text.Sample("sluice_job_last_success_timestamp_seconds", [new("job", job.Job)], job.LastCompleted!.Value.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    private static async Task SyncAsync(PrometheusText text, QueryRunner runner, string schema, CancellationToken cancellationToken)
    {
        var tables = await ReadAsync(
            runner,
            $"""
            select source, table_name, cast(sum(rows_upserted) as bigint), cast(sum(rows_deleted) as bigint), max(completed_at)
            from {schema}.sync_runs
            where status = 'success'
            group by source, table_name
            order by source, table_name
            """,
            r => (Source: r.GetString(0), Table: r.GetString(1), Upserted: QueryRunner.Long(r, 2), Deleted: QueryRunner.Long(r, 3),
                LastCompleted: r.IsDBNull(4) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(4)),
            cancellationToken);
        text.Family("sluice_sync_rows_total", "counter", "Rows written into the warehouse by successful syncs, by source, table and operation.");
        foreach (var table in tables)
        {
            text.Sample("sluice_sync_rows_total", [new("source", table.Source), new("table", table.Table), new("operation", "upsert")], table.Upserted);
            text.Sample("sluice_sync_rows_total", [new("source", table.Source), new("table", table.Table), new("operation", "delete")], table.Deleted);
        }

        text.Family("sluice_sync_last_success_timestamp_seconds", "gauge", "When each table last synced successfully, as Unix time.");
        foreach (var table in tables.Where(t => t.LastCompleted is not null))
        {
            text.Sample("sluice_sync_last_success_timestamp_seconds", [new("source", table.Source), new("table", table.Table)], table.LastCompleted!.Value.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    private static async Task<List<T>> ReadAsync<T>(QueryRunner runner, string sql, Func<DbDataReader, T> row, CancellationToken cancellationToken) =>
        (await runner.RunAsync(sql, [], (reader, ct) => QueryRunner.ReadAllAsync(reader, row, ct), cancellationToken)).Result;
}
