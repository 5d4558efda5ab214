using System.Diagnostics;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Models.State;

/// <summary>
/// Reads and writes <c>_sluice.job_runs</c>. A run's RUNNING row is committed on its own as the
/// run starts, so that a killed process leaves a trace; the SUCCESS update joins the transaction
/// that commits the run's data, so that the two are never out of step. The table is history:
/// a RUNNING row is finished once, and a finished row keeps its status; a full refresh marks the
/// runs it supersedes in a column of their own.
/// </summary>
public static class JobRunStore
{
    /// <summary>The table.</summary>
    public static readonly TableName Table = new(MetadataSchema.Name, "job_runs");

    // Rows of one insert of already-built skips: 3 parameters each, far below PostgreSQL's
    // 65,535 parameters a statement.
    private const int SkipRowsPerStatement = 1000;

    private static readonly string Host = Environment.MachineName;

    /// <summary>Records that a run starts; returns its id. Call outside any transaction.</summary>
    public static async Task<string> StartAsync(IWarehouseSession session, string invocationId, string jobName, string kind, DateOnly? targetDate, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7().ToString("N");
        var now = DateTimeOffset.UtcNow;
        await session.ExecuteAsync(
            $"insert into {session.Warehouse.Dialect.Quote(Table)} (id, invocation_id, job_name, kind, run_date, target_date, status, started_at, host, pid) values ($1, $2, $3, $4, $5, $6, 'RUNNING', $7, $8, $9)",
            [id, invocationId, jobName, kind, DateOnly.FromDateTime(now.UtcDateTime), targetDate, now, Host, Environment.ProcessId],
            cancellationToken);
        return id;
    }

    /// <summary>Marks a run SUCCESS with its counts; joins the open transaction, if any.</summary>
    public static Task CompleteAsync(IWarehouseSession session, string id, RowCounts rows, long durationMs, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"update {session.Warehouse.Dialect.Quote(Table)} set status = 'SUCCESS', rows_processed = $2, rows_inserted = $3, rows_updated = $4, rows_deleted = $5, duration_ms = $6, completed_at = $7 where id = $1",
            [id, rows.Processed, rows.Inserted, rows.Updated, rows.Deleted, durationMs, DateTimeOffset.UtcNow],
            cancellationToken);

    /// <summary>
    /// Records that a run failed; call after its transaction was rolled back. Its RUNNING row
    /// becomes FAILED. A run that failed after committing (a post_hook runs after the commit)
    /// keeps its SUCCESS row, which is true of its rows, and the failure is a FAILED row of its
    /// own for the same invocation, job and partition.
    /// </summary>
    public static async Task FailAsync(IWarehouseSession session, string id, string error, long durationMs, CancellationToken cancellationToken)
    {
        var table = session.Warehouse.Dialect.Quote(Table);
        var now = DateTimeOffset.UtcNow;
        await session.ExecuteAsync(
            $"update {table} set status = 'FAILED', error_message = $2, duration_ms = $3, completed_at = $4 where id = $1 and status = 'RUNNING'",
            [id, Truncate(error), durationMs, now],
            cancellationToken);
        await session.ExecuteAsync(
            $"""
            insert into {table} (id, invocation_id, job_name, kind, run_date, target_date, status, error_message, started_at, completed_at, duration_ms, host, pid)
            select $2, invocation_id, job_name, kind, $3, target_date, 'FAILED', $4, $5, $5, 0, $6, $7
            from {table}
            where id = $1 and status = 'SUCCESS'
            """,
            [id, Guid.CreateVersion7().ToString("N"), DateOnly.FromDateTime(now.UtcDateTime), Truncate($"{error} (after run {id} had committed its rows, which stay)"), now, Host, Environment.ProcessId],
            cancellationToken);
    }

    /// <summary>
    /// Records that a RUNNING run was cancelled (as FAILED, with <paramref name="message"/>): it
    /// rolled back. A run whose rows were committed before the cancellation keeps its SUCCESS.
    /// </summary>
    public static Task CancelAsync(IWarehouseSession session, string id, string message, long durationMs, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"update {session.Warehouse.Dialect.Quote(Table)} set status = 'FAILED', error_message = $2, duration_ms = $3, completed_at = $4 where id = $1 and status = 'RUNNING'",
            [id, message, durationMs, DateTimeOffset.UtcNow],
            cancellationToken);

    /// <summary>
    /// Records a run that did not happen because something it depends on failed, was skipped or
    /// was stopped by a failing check, as <paramref name="reason"/> says.
    /// </summary>
    public static async Task SkipUpstreamAsync(IWarehouseSession session, string invocationId, string jobName, string kind, DateOnly? targetDate, string reason, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await session.ExecuteAsync(
            $"insert into {session.Warehouse.Dialect.Quote(Table)} (id, invocation_id, job_name, kind, run_date, target_date, status, skip_reason, error_message, started_at, completed_at, duration_ms, host, pid) values ($1, $2, $3, $4, $5, $6, 'SKIPPED', '{SkipReasons.Name(SkipReason.Upstream)}', $7, $8, $8, 0, $9, $10)",
            [Guid.CreateVersion7().ToString("N"), invocationId, jobName, kind, DateOnly.FromDateTime(now.UtcDateTime), targetDate, Truncate(reason), now, Host, Environment.ProcessId],
            cancellationToken);
    }

    /// <summary>
    /// Records, one SKIPPED row each, the partitions of <paramref name="jobName"/> that a run left
    /// alone because <paramref name="built"/> says they were built before. A backfill run again
    /// over a year of built days is a handful of statements, not a round trip per day.
    /// </summary>
    public static async Task SkipAlreadyBuiltAsync(IWarehouseSession session, string invocationId, string jobName, string kind, IReadOnlyList<PartitionBuild> built, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var table = session.Warehouse.Dialect.Quote(Table);
        foreach (var chunk in built.Chunk(SkipRowsPerStatement))
        {
            // $1 to $7 are shared; each row adds its id, partition and reason.
            object?[] parameters = [invocationId, jobName, kind, DateOnly.FromDateTime(now.UtcDateTime), now, Host, Environment.ProcessId, .. chunk.SelectMany(b => new object?[] { Guid.CreateVersion7().ToString("N"), b.Partition, AlreadyBuilt(b) })];
            var rows = string.Join(", ", chunk.Select((_, i) => $"(${8 + (3 * i)}, $1, $2, $3, $4, ${9 + (3 * i)}, 'SKIPPED', '{SkipReasons.Name(SkipReason.AlreadyBuilt)}', ${10 + (3 * i)}, 0, 0, 0, 0, 0, $5, $5, $6, $7)"));
            await session.ExecuteAsync(
                $"insert into {table} (id, invocation_id, job_name, kind, run_date, target_date, status, skip_reason, error_message, rows_processed, rows_inserted, rows_updated, rows_deleted, duration_ms, started_at, completed_at, host, pid) values {rows}",
                parameters,
                cancellationToken);
        }
    }

    /// <summary>What the row of a partition left alone because it was built before says.</summary>
    public static string AlreadyBuilt(PartitionBuild build) =>
        $"already built by invocation {build.InvocationId} at {build.BuiltAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)} UTC; --force builds it again";

    /// <summary>
    /// Marks FAILED the RUNNING rows whose process is gone: on this machine, when no process has
    /// the recorded id; from other machines, when they started more than a day ago. Returns how many.
    /// </summary>
    public static async Task<int> RecoverAbandonedAsync(IWarehouseSession session, CancellationToken cancellationToken)
    {
        var abandoned = new List<string>();
        await using (var reader = await session.QueryAsync($"select id, host, pid, started_at from {session.Warehouse.Dialect.Quote(Table)} where status = 'RUNNING'", null, cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var host = reader.GetString(1);
                var pid = Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture);
                var startedAt = reader.GetFieldValue<DateTimeOffset>(3);
                var gone = host == Host
                    ? pid != Environment.ProcessId && !IsAlive(pid)
                    : startedAt < DateTimeOffset.UtcNow.AddDays(-1);
                if (gone)
                {
                    abandoned.Add(reader.GetString(0));
                }
            }
        }

        foreach (var id in abandoned)
        {
            await session.ExecuteAsync(
                $"update {session.Warehouse.Dialect.Quote(Table)} set status = 'FAILED', error_message = 'the process running it stopped (killed or crashed) before it finished; nothing of it was committed', completed_at = $2 where id = $1 and status = 'RUNNING'",
                [id, DateTimeOffset.UtcNow],
                cancellationToken);
        }

        return abandoned.Count;
    }

    /// <summary>
    /// The partitions of <paramref name="jobName"/> in [from, to] with a SUCCESS run that no full
    /// refresh has superseded, each with its latest such run. A later failed run does not undo
    /// one: its transaction rolled back, leaving the earlier rows.
    /// </summary>
    public static async Task<IReadOnlyDictionary<DateOnly, PartitionBuild>> SucceededPartitionsAsync(IWarehouseSession session, string jobName, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var done = new Dictionary<DateOnly, PartitionBuild>();
        var dialect = session.Warehouse.Dialect;
        await using var reader = await session.QueryAsync(
            dialect.FirstPerGroup(
                "target_date, invocation_id, coalesce(completed_at, started_at)",
                dialect.Quote(Table),
                "job_name = $1 and target_date between $2 and $3 and status = 'SUCCESS' and superseded_by is null",
                "target_date",
                "started_at desc, id desc"),
            [jobName, from, to],
            cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var partition = reader.GetFieldValue<DateOnly>(0);
            done[partition] = new PartitionBuild(partition, reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
        }

        return done;
    }

    /// <summary>
    /// Marks the SUCCESS rows of a partitioned model's partitions as superseded by
    /// <paramref name="invocationId"/>, in the transaction of a full refresh that drops its table,
    /// so that they stop counting as built partitions. The rows keep their status: they record
    /// builds that succeeded. A row keeps the first full refresh that superseded it.
    /// </summary>
    public static Task SupersedePartitionsAsync(IWarehouseSession session, string jobName, string invocationId, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"update {session.Warehouse.Dialect.Quote(Table)} set superseded_by = $2 where job_name = $1 and status = 'SUCCESS' and target_date is not null and superseded_by is null",
            [jobName, invocationId],
            cancellationToken);

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Truncate(string text) => text.Length <= 4000 ? text : text[..4000];
}
