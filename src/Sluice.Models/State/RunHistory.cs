using System.Data.Common;
using System.Globalization;
using Sluice.Core.Models;
using Sluice.Core.Warehouse;

namespace Sluice.Models.State;

/// <summary>One command invocation's runs, summed up.</summary>
/// <param name="InvocationId">The invocation.</param>
/// <param name="StartedAt">When its first run started.</param>
/// <param name="CompletedAt">When its last run ended; null while any is RUNNING.</param>
/// <param name="Runs">How many runs (resources, and partitions of partitioned models) it recorded.</param>
/// <param name="Succeeded">How many succeeded.</param>
/// <param name="Failed">How many failed.</param>
/// <param name="Skipped">How many were skipped because something they depend on failed or was skipped (SKIPPED, UPSTREAM).</param>
/// <param name="AlreadyBuilt">How many partitions were left alone because they were built before (SKIPPED, ALREADY_BUILT).</param>
public sealed record InvocationSummary(string InvocationId, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, int Runs, int Succeeded, int Failed, int Skipped, int AlreadyBuilt)
{
    /// <summary>How many are still RUNNING.</summary>
    public int Running => Runs - Succeeded - Failed - Skipped - AlreadyBuilt;
}

/// <summary>Where one model, seed or snapshot stands.</summary>
/// <param name="Name">The resource.</param>
/// <param name="Kind">model, seed or snapshot.</param>
/// <param name="LastRun">
/// Its latest run, whatever its status, not counting partitions left alone because they were
/// built before (they change nothing); null when it never ran.
/// </param>
/// <param name="LastSuccess">Its latest successful run that no full refresh has superseded.</param>
/// <param name="MissingPartitions">For partitioned models, the partitions of the range without a successful run that no full refresh has superseded; empty otherwise.</param>
public sealed record ResourceStatus(string Name, string Kind, JobRun? LastRun, JobRun? LastSuccess, IReadOnlyList<DatePartition> MissingPartitions)
{
    /// <summary>
    /// True when its latest run failed or was skipped because of something upstream, or partitions
    /// are missing. A partition left alone because it was built before needs nothing.
    /// </summary>
    public bool NeedsAttention => LastRun is { Status: JobStatus.Failed } or { Status: JobStatus.Skipped, SkipReason: not SkipReason.AlreadyBuilt } || MissingPartitions.Count > 0;
}

/// <summary>What <c>sluice status</c> reports.</summary>
/// <param name="Since">The start of the window for invocations and failures.</param>
/// <param name="From">The first day of the range checked for missing partitions.</param>
/// <param name="To">The last day of that range.</param>
/// <param name="Invocations">The invocations since <paramref name="Since"/>, newest first.</param>
/// <param name="Failures">The failed runs since <paramref name="Since"/>, newest first.</param>
/// <param name="Resources">Each selected resource, in graph order.</param>
public sealed record StatusReport(
    DateTimeOffset Since,
    DateOnly From,
    DateOnly To,
    IReadOnlyList<InvocationSummary> Invocations,
    IReadOnlyList<JobRun> Failures,
    IReadOnlyList<ResourceStatus> Resources);

/// <summary>Reads the history in <c>_sluice.job_runs</c>: recent invocations, failures, and each resource's standing.</summary>
public static class RunHistory
{
    /// <summary>A condition that keeps every run but the partitions left alone because they were built before.</summary>
    public static readonly string NotAlreadyBuilt = $"(skip_reason is null or skip_reason <> '{SkipReasons.Name(SkipReason.AlreadyBuilt)}')";

    private const string Columns = "id, invocation_id, job_name, kind, run_date, target_date, status, rows_processed, rows_inserted, rows_updated, rows_deleted, duration_ms, error_message, started_at, completed_at, superseded_by, skip_reason";

    /// <summary>
    /// The status of the <paramref name="selected"/> resources of <paramref name="project"/>:
    /// invocations and failures since <paramref name="since"/>, and partitions missing in
    /// [<paramref name="from"/>, <paramref name="to"/>].
    /// </summary>
    public static async Task<StatusReport> ReadAsync(
        IWarehouseSession session,
        ParsedProject project,
        IReadOnlySet<string> selected,
        DateTimeOffset since,
        DateOnly from,
        DateOnly to,
        CancellationToken cancellationToken)
    {
        var table = session.Warehouse.Dialect.Quote(JobRunStore.Table);
        var recent = await ReadRunsAsync(session, $"select {Columns} from {table} where started_at >= $1", [since], cancellationToken);
        var invocations = recent
            .GroupBy(r => r.InvocationId, StringComparer.Ordinal)
            .Select(g => new InvocationSummary(
                g.Key,
                g.Min(r => r.StartedAt),
                g.Any(r => r.Status == JobStatus.Running) ? null : g.Max(r => r.CompletedAt),
                g.Count(),
                g.Count(r => r.Status == JobStatus.Success),
                g.Count(r => r.Status == JobStatus.Failed),
                g.Count(r => r.Status == JobStatus.Skipped && r.SkipReason != SkipReason.AlreadyBuilt),
                g.Count(r => r.Status == JobStatus.Skipped && r.SkipReason == SkipReason.AlreadyBuilt)))
            .OrderByDescending(i => i.StartedAt)
            .ToList();
        var failures = recent
            .Where(r => r.Status == JobStatus.Failed && selected.Contains(r.JobName))
            .OrderByDescending(r => r.StartedAt)
            .ToList();

        // A partition left alone because it was built before changes nothing: the latest run is
        // the latest that built, failed or was skipped because of what it depends on, so that
        // asking again for a built day does not hide an earlier failure.
        var latest = await LatestAsync(session, table, NotAlreadyBuilt, cancellationToken);
        var latestSuccess = await LatestAsync(session, table, $"status = '{Name(JobStatus.Success)}' and superseded_by is null", cancellationToken);
        var resources = new List<ResourceStatus>();
        foreach (var name in project.Graph.Order.Where(selected.Contains))
        {
            var node = project.Nodes[name];
            if (node.Config.Materialized == Materialization.Ephemeral)
            {
                continue;
            }

            IReadOnlyList<DatePartition> missing = [];
            if (node.Config.PartitionBy is not null)
            {
                var done = await JobRunStore.SucceededPartitionsAsync(session, name, Partitions.Containing(from, node.Config.Grain).Start, to, cancellationToken);
                missing = [.. Partitions.Covering(from, to, node.Config.Grain).Where(p => !done.ContainsKey(p.Start))];
            }

            resources.Add(new ResourceStatus(
                name,
                node.Kind.ToString().ToLowerInvariant(),
                latest.GetValueOrDefault(name),
                latestSuccess.GetValueOrDefault(name),
                missing));
        }

        return new StatusReport(since, from, to, invocations, failures, resources);
    }

    // The latest run of every job among the runs that filter (a condition) keeps.
    private static async Task<Dictionary<string, JobRun>> LatestAsync(IWarehouseSession session, string table, string filter, CancellationToken cancellationToken)
    {
        var runs = await ReadRunsAsync(
            session,
            session.Warehouse.Dialect.FirstPerGroup(Columns, table, filter, "job_name", "started_at desc, id desc"),
            null,
            cancellationToken);
        return runs.ToDictionary(r => r.JobName, StringComparer.Ordinal);
    }

    private static async Task<List<JobRun>> ReadRunsAsync(IWarehouseSession session, string sql, IReadOnlyList<object?>? parameters, CancellationToken cancellationToken)
    {
        var runs = new List<JobRun>();
        await using var reader = await session.QueryAsync(sql, parameters, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new JobRun(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetFieldValue<DateOnly>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5),
                Parse(reader.GetString(6)),
                new RowCounts(Long(reader, 7) ?? 0, Long(reader, 8) ?? 0, Long(reader, 9) ?? 0, Long(reader, 10) ?? 0),
                Long(reader, 11),
                reader.IsDBNull(12) ? null : reader.GetString(12),
                reader.GetFieldValue<DateTimeOffset>(13),
                reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
                reader.IsDBNull(15) ? null : reader.GetString(15),
                SkipReasons.Parse(reader.IsDBNull(16) ? null : reader.GetString(16))));
        }

        return runs;
    }

    /// <summary>The status as job_runs stores it.</summary>
    public static string Name(JobStatus status) => status.ToString().ToUpperInvariant();

    private static JobStatus Parse(string status) => Enum.Parse<JobStatus>(status, ignoreCase: true);

    private static long? Long(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
