using System.Globalization;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Alerts;

/// <summary>
/// Reads the pipeline's state in <c>_sluice</c> to find, for a rule's condition, the subjects it
/// holds for now. Each kind is one query over the tables the pipeline writes as it runs.
/// </summary>
/// <param name="metrics">Evaluates metric conditions (the metrics API's queries); null where none can be.</param>
public sealed class AlertProbes(Func<IWarehouseSession, MetricCondition, DateTimeOffset, CancellationToken, Task<IReadOnlyList<AlertObservation>>>? metrics = null)
{
    private static readonly string Schema = MetadataSchema.Name;

    /// <summary>The subjects <paramref name="condition"/> holds for at <paramref name="now"/>.</summary>
    public Task<IReadOnlyList<AlertObservation>> ObserveAsync(IWarehouseSession session, AlertCondition condition, DateTimeOffset now, CancellationToken cancellationToken) => condition switch
    {
        CheckFailedCondition c => ChecksAsync(session, c, cancellationToken),
        ParityCondition c => ParityAsync(session, c, cancellationToken),
        FreshnessCondition c => FreshnessAsync(session, c, now, cancellationToken),
        JobDurationCondition c => JobRunProbes.DurationsAsync(session, c, now, cancellationToken),
        JobFailedCondition c => JobRunProbes.FailuresAsync(session, c, now, cancellationToken),
        JobRowsCondition c => JobRunProbes.RowDropsAsync(session, c, cancellationToken),
        PartitionLateCondition c => PartitionAsync(session, c, now, cancellationToken),
        ScheduleCondition c => SchedulesAsync(session, c, now, cancellationToken),
        SyncLagCondition c => LagAsync(session, c, now, cancellationToken),
        MetricCondition c => metrics is null
            ? throw new InvalidOperationException($"Metric conditions cannot be evaluated here: {c.Metric} needs the metrics of metrics.yml bound to the warehouse.")
            : metrics(session, c, now, cancellationToken),
        _ => throw new ArgumentException($"Unknown alert condition {condition.Kind}.", nameof(condition)),
    };

    private static async Task<IReadOnlyList<AlertObservation>> ChecksAsync(IWarehouseSession session, CheckFailedCondition condition, CancellationToken cancellationToken)
    {
        var found = new List<AlertObservation>();
        var selected = AlertPatterns.Matcher(condition.Checks);
        var statuses = condition.IncludeWarnings ? "'fail', 'error', 'warn'" : "'fail', 'error'";
        await using var reader = await session.QueryAsync(
            $"""
            select check_name, lower(status), failing_rows, message, model
            from {Schema}.check_results r
            where checked_at = (select max(checked_at) from {Schema}.check_results l where l.check_name = r.check_name)
              and lower(status) in ({statuses})
            """,
            null,
            cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            if (!selected(name))
            {
                continue;
            }

            double? failing = reader.IsDBNull(2) ? null : Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture);
            var on = reader.IsDBNull(4) ? string.Empty : $" on {reader.GetString(4)}";
            var message = reader.IsDBNull(3) ? string.Empty : $": {reader.GetString(3)}";
            found.Add(new AlertObservation(name, failing, $"check {name}{on} ended {reader.GetString(1)}{(failing is { } rows ? $" with {rows:N0} failing row(s)" : string.Empty)}{message}"));
        }

        return found;
    }

    private static async Task<IReadOnlyList<AlertObservation>> ParityAsync(IWarehouseSession session, ParityCondition condition, CancellationToken cancellationToken)
    {
        var found = new List<AlertObservation>();
        await using var reader = await session.QueryAsync(
            $"""
            select source, table_name, max(mismatch_ratio), cast(sum(mismatches) as bigint)
            from {Schema}.parity_checks p
            where checked_at = (select max(checked_at) from {Schema}.parity_checks q where q.source = p.source and q.table_name = p.table_name)
            group by source, table_name
            """,
            null,
            cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = $"{reader.GetString(0)}.{reader.GetString(1)}";
            var ratio = Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture);
            if ((condition.Table is null || condition.Table == table) && ratio > condition.MaxRatio)
            {
                var mismatches = Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture);
                found.Add(new AlertObservation(table, ratio, $"{table}: parity found {mismatches:N0} mismatching row(s), a ratio of {ratio * 100:0.00}%, above {condition.MaxRatio * 100:0.00}%"));
            }
        }

        return found;
    }

    private static async Task<IReadOnlyList<AlertObservation>> FreshnessAsync(IWarehouseSession session, FreshnessCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using (var reader = await session.QueryAsync(
            $"select source, table_name, max(completed_at) from {Schema}.sync_runs where lower(status) = 'success' and completed_at is not null group by source, table_name",
            null,
            cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                last[$"{reader.GetString(0)}.{reader.GetString(1)}"] = reader.GetFieldValue<DateTimeOffset>(2);
            }
        }

        var found = new List<AlertObservation>();
        if (condition.Table is { } table && !last.ContainsKey(table))
        {
            found.Add(new AlertObservation(table, null, $"{table} has never been synced successfully"));
        }

        foreach (var (name, at) in last.Where(l => condition.Table is null || l.Key == condition.Table))
        {
            var age = now - at;
            if (age > condition.MaxAge)
            {
                found.Add(new AlertObservation(name, age.TotalSeconds, $"{name} was last synced {Describe(age)} ago, longer than {Describe(condition.MaxAge)}"));
            }
        }

        return found;
    }

    private static async Task<IReadOnlyList<AlertObservation>> LagAsync(IWarehouseSession session, SyncLagCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = new List<AlertObservation>();
        await using var reader = await session.QueryAsync($"select source, table_name, watermark from {Schema}.sync_state", null, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = $"{reader.GetString(0)}.{reader.GetString(1)}";
            if ((condition.Table is not null && condition.Table != table) || reader.IsDBNull(2))
            {
                continue;
            }

            // The watermark is the newest cursor value synced; a lag has a meaning only for a time.
            if (DateTimeOffset.TryParse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var newest) && now - newest > condition.MaxLag)
            {
                var lag = now - newest;
                found.Add(new AlertObservation(table, lag.TotalSeconds, $"{table}: the newest synced row is from {Describe(lag)} ago, more than {Describe(condition.MaxLag)}"));
            }
        }

        return found;
    }

    private static async Task<IReadOnlyList<AlertObservation>> PartitionAsync(IWarehouseSession session, PartitionLateCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var local = TimeZoneInfo.ConvertTime(now, condition.Zone);
        if (TimeOnly.FromDateTime(local.DateTime) < condition.Deadline)
        {
            return [];
        }

        var yesterday = DateOnly.FromDateTime(local.DateTime).AddDays(-1);
        var built = await session.ScalarAsync(
            $"select count(*) from {Schema}.job_runs where job_name = $1 and target_date = $2 and status = 'SUCCESS' and superseded_by is null",
            [condition.Model, yesterday],
            cancellationToken);
        return Convert.ToInt64(built, CultureInfo.InvariantCulture) > 0
            ? []
            : [new AlertObservation(condition.Model, null, $"{condition.Model}: the partition of {yesterday:yyyy-MM-dd} is not built, and it was due by {condition.Deadline:HH\\:mm} {condition.Zone.Id}")];
    }

    private static async Task<IReadOnlyList<AlertObservation>> SchedulesAsync(IWarehouseSession session, ScheduleCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = new List<AlertObservation>();
        if (condition.OnFailed)
        {
            await using var reader = await session.QueryAsync(
                $"""
                select schedule_name, status, error_message
                from {Schema}.schedule_runs r
                where started_at = (select max(started_at) from {Schema}.schedule_runs l where l.schedule_name = r.schedule_name)
                  and status in ('FAILED', 'TIMED_OUT', 'INTERRUPTED')
                """,
                null,
                cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                if (condition.Schedule is null || condition.Schedule == name)
                {
                    found.Add(new AlertObservation(name, null, $"schedule {name}: the latest run ended {reader.GetString(1)}{(reader.IsDBNull(2) ? string.Empty : $": {reader.GetString(2)}")}"));
                }
            }
        }

        if (condition.OnMissed)
        {
            await using var reader = await session.QueryAsync(
                $"select name, next_due from {Schema}.schedules where next_due is not null and next_due < $1",
                [now - condition.MissedAfter],
                cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                if ((condition.Schedule is null || condition.Schedule == name) && found.All(f => f.Subject != name))
                {
                    var due = reader.GetFieldValue<DateTimeOffset>(1);
                    found.Add(new AlertObservation(name, (now - due).TotalSeconds, $"schedule {name}: the tick due at {due.UtcDateTime:yyyy-MM-dd HH:mm} UTC has not run for {Describe(now - due)}"));
                }
            }
        }

        return found;
    }

    /// <summary>A span as people say it: 3 h, 40 min, 2.5 days.</summary>
    internal static string Describe(TimeSpan span) =>
        span.TotalDays >= 2 ? $"{span.TotalDays:0.#} days"
        : span.TotalHours >= 2 ? $"{span.TotalHours:0.#} h"
        : span.TotalMinutes >= 2 ? $"{span.TotalMinutes:0} min"
        : $"{span.TotalSeconds:0} s";
}
