using System.Globalization;
using Sluice.Core.Warehouse;
using Sluice.Operate.Alerts;
using Sluice.Server.Catalog;

namespace Sluice.Server.Queries;

/// <summary>
/// Reads the metric conditions of alerts.yml with the metrics API's own SQL: the metric's value
/// over its latest complete period (yesterday, last week from Monday, last month; in UTC, as the
/// API's days are) and, for a change, over the period before it. Every tenant's rows count.
/// </summary>
public static class MetricAlerts
{
    /// <summary>The probe for <see cref="AlertProbes"/>: the metric when its condition holds, else nothing.</summary>
    public static Func<IWarehouseSession, MetricCondition, DateTimeOffset, CancellationToken, Task<IReadOnlyList<AlertObservation>>> Probe(ServedCatalog catalog) =>
        (session, condition, now, cancellationToken) => ObserveAsync(catalog, session, condition, now, cancellationToken);

    /// <summary>The metric's value over its latest complete period, and the one before it.</summary>
    public static async Task<(DateOnly From, double? Latest, double? Previous)> ValuesAsync(
        ServedMetric metric, IWarehouseSession session, string grain, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (from, to, previous) = Periods(grain, DateOnly.FromDateTime(now.UtcDateTime));
        return (
            from,
            await ValueAsync(metric, session, from, to, cancellationToken),
            await ValueAsync(metric, session, previous, from.AddDays(-1), cancellationToken));
    }

    private static async Task<IReadOnlyList<AlertObservation>> ObserveAsync(
        ServedCatalog catalog, IWarehouseSession session, MetricCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!catalog.Metrics.TryGetValue(condition.Metric, out var metric))
        {
            throw new InvalidOperationException($"The metric {condition.Metric} is not served: metrics.yml has no such metric, or its relation is not built.");
        }

        var (from, latest, previous) = await ValuesAsync(metric, session, condition.Grain, now, cancellationToken);
        var period = $"{condition.Grain} from {QueryScope.Day(from)}";
        string? summary = condition.Comparison switch
        {
            MetricComparison.Above when latest > condition.Threshold =>
                $"{metric.Name} is {Shown(latest.Value)} for the {period}, above {Shown(condition.Threshold)}",
            MetricComparison.Below when latest < condition.Threshold || latest is null =>
                $"{metric.Name} is {(latest is { } value ? Shown(value) : "empty")} for the {period}, below {Shown(condition.Threshold)}",
            MetricComparison.ChangeAbove or MetricComparison.ChangeBelow when Change(latest, previous) is { } change
                && (condition.Comparison == MetricComparison.ChangeAbove ? change > condition.Threshold : -change > condition.Threshold) =>
                $"{metric.Name} {(change >= 0 ? "rose" : "fell")} by {Shown(Math.Abs(change))}% for the {period} ({Shown(previous!.Value)} → {Shown(latest!.Value)}), more than {Shown(condition.Threshold)}%",
            _ => null,
        };
        return summary is null ? [] : [new AlertObservation(metric.Name, latest, summary)];
    }

    // The latest complete period holding days [from, to], and the first day of the one before.
    private static (DateOnly From, DateOnly To, DateOnly Previous) Periods(string grain, DateOnly today)
    {
        switch (grain)
        {
            case "week":
                var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
                return (monday.AddDays(-7), monday.AddDays(-1), monday.AddDays(-14));
            case "month":
                var first = new DateOnly(today.Year, today.Month, 1);
                return (first.AddMonths(-1), first.AddDays(-1), first.AddMonths(-2));
            default:
                return (today.AddDays(-1), today.AddDays(-1), today.AddDays(-2));
        }
    }

    private static async Task<double?> ValueAsync(ServedMetric metric, IWarehouseSession session, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var dialect = session.Warehouse.Dialect;
        var parameters = new SqlParameters();
        var scope = new QueryScope(from, to, null);
        var sql = $"select {MeasureSql.Value(metric.Definition.Measure, dialect)} from {dialect.Quote(metric.Relation.Table)} where {scope.TimeCondition(dialect, metric.Time, parameters)}";
        var value = await session.ScalarAsync(sql, parameters.Values, cancellationToken);
        return value is null or DBNull ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);
    }

    // The change in percent of the previous value; none when there is nothing to compare with.
    private static double? Change(double? latest, double? previous) =>
        latest is { } now && previous is { } before && before != 0 ? (now - before) / Math.Abs(before) * 100 : null;

    private static string Shown(double value) => value.ToString("#,0.###", CultureInfo.InvariantCulture);
}
