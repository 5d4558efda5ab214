using System.Globalization;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Alerts;

/// <summary>The conditions read from <c>_sluice.job_runs</c>, the record of each build of a model, seed or snapshot and of each partition.</summary>
internal static class JobRunProbes
{
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

    // The nearest-rank percentile: the smallest value at or above the given share of the values.
    private static double Percentile(List<long> values, double share)
    {
        values.Sort();
        var rank = (int)Math.Ceiling(share * values.Count);
        return values[Math.Clamp(rank - 1, 0, values.Count - 1)];
    }
}
