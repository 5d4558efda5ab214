using System.Globalization;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Alerts;

/// <summary>The conditions read from <c>_sluice.job_runs</c>, the record of each build of a model, seed or snapshot and of each partition.</summary>
internal static class JobRunProbes
{
    // Error messages can hold a statement or a stack of lines: a notification gets one line of them.
    private const int MaxError = 300;

    private static readonly string Schema = MetadataSchema.Name;

    /// <summary>The jobs whose successful runs in the window have a 95th percentile duration above the limit.</summary>
    public static async Task<IReadOnlyList<AlertObservation>> DurationsAsync(IWarehouseSession session, JobDurationCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var selected = AlertPatterns.Matcher(condition.Jobs);
        var durations = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        await using (var reader = await session.QueryAsync(
            $"select job_name, duration_ms from {Schema}.job_runs where status = 'SUCCESS' and duration_ms is not null and started_at >= $1",
            [now - condition.Window],
            cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var job = reader.GetString(0);
                if (selected(job))
                {
                    (durations.TryGetValue(job, out var list) ? list : durations[job] = []).Add(Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
                }
            }
        }

        var found = new List<AlertObservation>();
        foreach (var (job, list) in durations.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var p95 = TimeSpan.FromMilliseconds(Percentile(list, 0.95));
            if (p95 > condition.P95Above)
            {
                found.Add(new AlertObservation(job, p95.TotalSeconds, $"{job}: p95 duration over {AlertProbes.Describe(condition.Window)} is {p95.TotalSeconds:0.#} s ({list.Count} run(s)), above {condition.P95Above.TotalSeconds:0.#} s"));
            }
        }

        return found;
    }

    /// <summary>
    /// The jobs, and partitions of jobs, whose latest finished run in the window failed. A later
    /// success of the same job and partition (a retry) ends the failure; a SKIPPED run neither
    /// ends nor starts one. A post_hook's failure is a FAILED row after its run's SUCCESS row, so
    /// it holds.
    /// </summary>
    public static async Task<IReadOnlyList<AlertObservation>> FailuresAsync(IWarehouseSession session, JobFailedCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var selected = AlertPatterns.Matcher(condition.Jobs);
        var found = new List<AlertObservation>();

        // The newest finished run of each job and partition: NULL target dates group together on
        // every engine, so an unpartitioned job is one group. Ids are version 7 GUIDs, in the
        // order they were made, for a tie.
        var newest = session.Warehouse.Dialect.FirstPerGroup(
            "job_name, target_date, status, completed_at, error_message",
            $"{Schema}.job_runs",
            "status in ('SUCCESS', 'FAILED') and completed_at >= $1",
            "job_name, target_date",
            "completed_at desc, id desc");
        await using var reader = await session.QueryAsync(
            $"select job_name, target_date, completed_at, error_message from ({newest}) as finished where status = 'FAILED' order by job_name, target_date",
            [now - condition.Window],
            cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var job = reader.GetString(0);
            if (!selected(job))
            {
                continue;
            }

            var subject = reader.IsDBNull(1) ? job : string.Create(CultureInfo.InvariantCulture, $"{job} {reader.GetFieldValue<DateOnly>(1):yyyy-MM-dd}");
            var at = reader.GetFieldValue<DateTimeOffset>(2).UtcDateTime;
            var error = reader.IsDBNull(3) ? "no error was recorded" : OneLine(reader.GetString(3), MaxError);
            found.Add(new AlertObservation(subject, null, string.Create(CultureInfo.InvariantCulture, $"{subject}: the latest run failed at {at:yyyy-MM-dd HH:mm} UTC: {error}")));
        }

        return found;
    }

    /// <summary>
    /// The jobs whose latest successful run processed more than the allowed share fewer rows than
    /// the median of their successful runs in the window before it. Each partition's run is one
    /// run; runs a full refresh superseded count, since they ran. The rows are fetched and the
    /// median taken here: the window bounds them, and it is the same arithmetic on every engine.
    /// </summary>
    public static async Task<IReadOnlyList<AlertObservation>> RowDropsAsync(IWarehouseSession session, JobRowsCondition condition, CancellationToken cancellationToken)
    {
        var selected = AlertPatterns.Matcher(condition.Jobs);
        var runs = new Dictionary<string, List<(DateOnly? Partition, long Rows)>>(StringComparer.Ordinal);

        // Each job's window ends at its own latest success. The latest successes come first; the
        // runs are then read from the earliest window's start and each job's cut at its own, so
        // that the SQL is plain on every engine (no join on a range, no interval arithmetic).
        var windowEnds = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using (var reader = await session.QueryAsync(
            $"select job_name, max(completed_at) from {Schema}.job_runs where status = 'SUCCESS' and rows_processed is not null group by job_name",
            null,
            cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (selected(reader.GetString(0)) && !reader.IsDBNull(1))
                {
                    windowEnds[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
                }
            }
        }

        if (windowEnds.Count == 0)
        {
            return [];
        }

        await using (var reader = await session.QueryAsync(
            $"""
            select job_name, target_date, rows_processed, completed_at
            from {Schema}.job_runs
            where status = 'SUCCESS' and rows_processed is not null and completed_at >= $1
            order by job_name, completed_at desc, id desc
            """,
            [windowEnds.Values.Min() - condition.Window],
            cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var job = reader.GetString(0);
                if (windowEnds.TryGetValue(job, out var end) && reader.GetFieldValue<DateTimeOffset>(3) >= end - condition.Window)
                {
                    (runs.TryGetValue(job, out var list) ? list : runs[job] = []).Add(
                        (reader.IsDBNull(1) ? null : reader.GetFieldValue<DateOnly>(1), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture)));
                }
            }
        }

        var found = new List<AlertObservation>();
        foreach (var (job, list) in runs.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            // Newest first: the latest run, then the runs of the median.
            var (partition, latest) = list[0];
            var before = list.Skip(1).Select(r => r.Rows).ToList();
            if (before.Count < condition.MinRuns)
            {
                continue;
            }

            // A median of zero rows has nothing to drop from.
            var median = Median(before);
            var drop = median > 0 ? (median - latest) / median * 100 : 0;
            if (drop > condition.DropAbove)
            {
                var of = partition is { } day ? string.Create(CultureInfo.InvariantCulture, $" (partition {day:yyyy-MM-dd})") : string.Empty;
                found.Add(new AlertObservation(job, drop, string.Create(
                    CultureInfo.InvariantCulture,
                    $"{job}: the latest run{of} processed {latest:N0} row(s), {drop:0.#}% below the median of {median:#,0.#} of its {before.Count} successful run(s) in the {AlertProbes.Describe(condition.Window)} before it, a drop above {condition.DropAbove:0.#}%")));
            }
        }

        return found;
    }

    private static string OneLine(string text, int max)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (line.Length <= max)
        {
            return line;
        }

        var cut = char.IsHighSurrogate(line[max - 1]) ? max - 1 : max;
        return $"{line[..cut].TrimEnd()}…";
    }

    private static double Median(List<long> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + (double)values[middle]) / 2;
    }

    // The nearest-rank percentile: the smallest value at or above the given share of the values.
    private static double Percentile(List<long> values, double share)
    {
        values.Sort();
        var rank = (int)Math.Ceiling(share * values.Count);
        return values[Math.Clamp(rank - 1, 0, values.Count - 1)];
    }
}
