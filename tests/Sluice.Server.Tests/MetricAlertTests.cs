using System.Globalization;
using Sluice.Core.Metrics;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Operate.Alerts;
using Sluice.Server.Catalog;
using Sluice.Server.Queries;
using Sluice.Warehouses;

namespace Sluice.Server.Tests;

/// <summary>Metric conditions of alerts.yml, read against the prepared project's rows; the expected values come from SQL written here.</summary>
public abstract class MetricAlertTests(PreparedProject project)
{
    [Fact]
    public async Task A_metric_condition_compares_the_latest_complete_day_and_its_change_against_the_day_before()
    {
        var loaded = ProjectLoader.Load(project.ProjectDirectory, _ => null);
        var parsed = ProjectParser.Parse(loaded);
        await using var warehouse = WarehouseFactory.Create(loaded.Warehouse, loaded.Directory);
        var catalog = await CatalogBinder.BindAsync(parsed, MetricsReader.Read(parsed), warehouse, CancellationToken.None);
        var probe = MetricAlerts.Probe(catalog);
        var table = catalog.Metrics["outcome_score"].Relation.Table;
        await using var session = await warehouse.OpenSessionAsync();
        var quoted = session.Warehouse.Dialect.Quote(table);

        var day = (DateOnly)(await session.ScalarAsync($"select max(cast(created_at as date)) from {quoted}"))!;
        var latest = await AverageAsync(session, quoted, day);
        var previous = await AverageAsync(session, quoted, day.AddDays(-1));
        Assert.NotEqual(latest, previous);
        var change = (latest - previous) / Math.Abs(previous) * 100;
        var now = new DateTimeOffset(day.AddDays(1).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

        async Task<IReadOnlyList<AlertObservation>> ObserveAsync(MetricComparison comparison, double threshold) =>
            await probe(session, new MetricCondition("outcome_score", comparison, threshold, "day"), now, CancellationToken.None);

        var above = Assert.Single(await ObserveAsync(MetricComparison.Above, latest - 0.001));
        Assert.Equal("outcome_score", above.Subject);
        Assert.Equal(latest, above.Value!.Value, 9);
        Assert.Contains($"for the day from {day:yyyy-MM-dd}", above.Summary, StringComparison.Ordinal);
        Assert.Empty(await ObserveAsync(MetricComparison.Above, latest + 0.001));
        Assert.Single(await ObserveAsync(MetricComparison.Below, latest + 0.001));
        Assert.Empty(await ObserveAsync(MetricComparison.Below, latest - 0.001));

        // A change moves one way: the condition on that side holds below its size, not above it.
        var (moved, other) = change > 0 ? (MetricComparison.ChangeAbove, MetricComparison.ChangeBelow) : (MetricComparison.ChangeBelow, MetricComparison.ChangeAbove);
        var changed = Assert.Single(await ObserveAsync(moved, Math.Abs(change) - 0.001));
        Assert.Contains(change > 0 ? "rose by" : "fell by", changed.Summary, StringComparison.Ordinal);
        Assert.Empty(await ObserveAsync(moved, Math.Abs(change) + 0.001));
        Assert.Empty(await ObserveAsync(other, 0.001));

        // The week before now's week, from its Monday.
        var (from, weekly, _) = await MetricAlerts.ValuesAsync(catalog.Metrics["outcome_score"], session, "week", now, CancellationToken.None);
        Assert.Equal(DayOfWeek.Monday, from.DayOfWeek);
        Assert.InRange(DateOnly.FromDateTime(now.UtcDateTime).DayNumber - from.DayNumber, 7, 13);
        var expectedWeek = await session.ScalarAsync(
            $"select avg(score) from {quoted} where cast(created_at as date) between $1 and $2", [from, from.AddDays(6)]);
        Assert.Equal(expectedWeek is null or DBNull ? null : Convert.ToDouble(expectedWeek, CultureInfo.InvariantCulture), weekly);
    }

    private static async Task<double> AverageAsync(IWarehouseSession session, string table, DateOnly day) =>
        Convert.ToDouble(await session.ScalarAsync($"select avg(score) from {table} where cast(created_at as date) = $1", [day]), CultureInfo.InvariantCulture);
}

public sealed class DuckDbMetricAlertTests(DuckDbPreparedProject project) : MetricAlertTests(project), IClassFixture<DuckDbPreparedProject>;

public sealed class PostgresMetricAlertTests(PostgresPreparedProject project) : MetricAlertTests(project), IClassFixture<PostgresPreparedProject>;

public sealed class ClickHouseMetricAlertTests(ClickHousePreparedProject project) : MetricAlertTests(project), IClassFixture<ClickHousePreparedProject>;
