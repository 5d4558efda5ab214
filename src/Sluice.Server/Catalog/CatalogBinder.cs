using Sluice.Core.Metrics;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Server.Queries;

namespace Sluice.Server.Catalog;

/// <summary>
/// Binds metrics.yml to the warehouse when the server starts: every relation must exist, every
/// column and dimension must be one of its columns, time columns must hold dates or timestamps,
/// and every measure must compile. Errors name metrics.yml's line and what to do.
/// </summary>
public sealed class CatalogBinder
{
    private readonly ParsedProject _project;
    private readonly MetricsCatalog _catalog;
    private readonly IWarehouseSession _session;
    private readonly Dictionary<RelationReference, ServedRelation> _relations = [];

    private CatalogBinder(ParsedProject project, MetricsCatalog catalog, IWarehouseSession session) =>
        (_project, _catalog, _session) = (project, catalog, session);

    /// <summary>Binds <paramref name="catalog"/>; throws a <see cref="ConfigurationException"/> at the first definition the warehouse cannot serve.</summary>
    public static async Task<ServedCatalog> BindAsync(ParsedProject project, MetricsCatalog catalog, IWarehouse warehouse, CancellationToken cancellationToken)
    {
        await using var session = await warehouse.OpenSessionAsync(cancellationToken);
        var binder = new CatalogBinder(project, catalog, session);
        var metrics = new Dictionary<string, ServedMetric>(StringComparer.Ordinal);
        foreach (var metric in catalog.Metrics)
        {
            metrics[metric.Name] = await binder.MetricAsync(metric, cancellationToken);
        }

        var funnels = new Dictionary<string, ServedFunnel>(StringComparer.Ordinal);
        foreach (var funnel in catalog.Funnels)
        {
            funnels[funnel.Name] = await binder.FunnelAsync(funnel, cancellationToken);
        }

        var benchmarks = new Dictionary<string, ServedBenchmark>(StringComparer.Ordinal);
        foreach (var benchmark in catalog.Benchmarks)
        {
            benchmarks[benchmark.Name] = await binder.BenchmarkAsync(benchmark, metrics[benchmark.Metric], cancellationToken);
        }

        var rows = new Dictionary<string, ServedRows>(StringComparer.Ordinal);
        foreach (var exposed in catalog.Exposed)
        {
            rows[exposed.Name] = await binder.RowsAsync(exposed, cancellationToken);
        }

        return new ServedCatalog(project, catalog.TenantColumn, metrics, funnels, benchmarks, rows);
    }

    private async Task<ServedMetric> MetricAsync(MetricDefinition metric, CancellationToken cancellationToken)
    {
        var what = $"metric '{metric.Name}'";
        var relation = await RelationAsync(metric.Relation, metric.Location, what, perTenant: true, cancellationToken);
        var time = TimeColumn(relation, metric.Time, metric.Location, what);
        var dimensions = Dimensions(relation, metric.Dimensions, metric.Location, what);
        await CompilesAsync(relation, MeasureSql.Value(metric.Measure, _session.Warehouse.Dialect), metric.Location, $"{what}: measure", cancellationToken);
        if (metric.Measure.Aggregation is not (Aggregation.Count or Aggregation.CountDistinct))
        {
            // Trends report the spread of the measured value, so it must be a number.
            var dialect = _session.Warehouse.Dialect;
            await CompilesAsync(relation, $"stddev_samp({MeasureSql.AsDouble(dialect, metric.Measure.Expression!)})", metric.Location, $"{what}: measure expr '{metric.Measure.Expression}' (it must be numeric)", cancellationToken);
        }

        return new ServedMetric(metric, relation, time, dimensions) { Rollups = Rollups(metric, relation, time) };
    }

    // The model's rollups summarizing the metric's time column and measure. Counting distinct
    // values and percentiles need the rows themselves, so those metrics have none.
    private List<ServedRollup> Rollups(MetricDefinition metric, ServedRelation relation, ColumnSpec time)
    {
        if (relation.Reference.Model is not { } model || metric.Measure.Aggregation is Aggregation.CountDistinct or Aggregation.Percentile)
        {
            return [];
        }

        var rollups = new List<ServedRollup>();
        foreach (var rollup in _project.Nodes[model].Config.Rollups.Where(r => string.Equals(r.Time, time.Name, StringComparison.OrdinalIgnoreCase)))
        {
            var measure = rollup.MeasureFor(metric.Measure.Expression);
            if (measure is not null || metric.Measure is { Aggregation: Aggregation.Count, Expression: null })
            {
                rollups.Add(new ServedRollup(rollup, rollup.TableFor(relation.Table), measure));
            }
        }

        return [.. rollups.OrderByDescending(r => r.Definition.Grain).ThenBy(r => r.Definition.Dimensions.Count)];
    }

    private async Task<ServedFunnel> FunnelAsync(FunnelDefinition funnel, CancellationToken cancellationToken)
    {
        var what = $"funnel '{funnel.Name}'";
        var relation = await RelationAsync(funnel.Relation, funnel.Location, what, perTenant: true, cancellationToken);
        return new ServedFunnel(
            funnel,
            relation,
            Column(relation, funnel.Entity, funnel.Location, $"{what}: entity"),
            TimeColumn(relation, funnel.Time, funnel.Location, what),
            Column(relation, funnel.StepColumn, funnel.Location, $"{what}: step.column"),
            Dimensions(relation, funnel.Dimensions, funnel.Location, what));
    }

    private async Task<ServedBenchmark> BenchmarkAsync(BenchmarkDefinition benchmark, ServedMetric metric, CancellationToken cancellationToken)
    {
        var what = $"benchmark '{benchmark.Name}'";
        if (!metric.HasNumericValue)
        {
            throw Error(benchmark.Location, $"{what}: metric '{metric.Name}' counts rows ({Agg(metric.Definition.Measure)}); benchmarks compare a value per entity, so use a metric with sum, avg, min, max or percentile.");
        }

        var entity = Column(metric.Relation, benchmark.Entity, benchmark.Location, $"{what}: entity (in {metric.Relation.Reference.DisplayName})");
        if (benchmark.Peers == PeerScope.CrossTenant && !ServedBenchmark.IsTenantColumn(metric, entity))
        {
            throw Error(benchmark.Location, _catalog.TenantColumn is { } column
                ? $"{what}: `peers: cross_tenant` compares tenants with each other, so its entity must be the tenant column '{column}', not '{entity.Name}'; remove `peers` to compare {entity.Name} within a tenant."
                : $"{what}: `peers: cross_tenant` needs metrics.yml's tenant column (`tenant: {{column: …}}`) as the benchmark's entity; remove `peers` without tenants.");
        }

        var groups = new Dictionary<string, ServedPeerGroup>(StringComparer.Ordinal);
        foreach (var group in benchmark.PeerGroups)
        {
            var relation = await RelationAsync(group.Relation, benchmark.Location, $"{what}: peer group '{group.Name}'", perTenant: false, cancellationToken);
            groups[group.Name] = new ServedPeerGroup(
                group.Name,
                relation,
                Column(relation, benchmark.Entity, benchmark.Location, $"{what}: entity (in peer group '{group.Name}')"),
                Column(relation, group.Column, benchmark.Location, $"{what}: peer group '{group.Name}'"));
        }

        return new ServedBenchmark(benchmark, metric, entity, groups);
    }

    private async Task<ServedRows> RowsAsync(ExposedModel exposed, CancellationToken cancellationToken)
    {
        var what = $"exposed model '{exposed.Name}'";
        var relation = await RelationAsync(exposed.Relation, exposed.Location, what, perTenant: true, cancellationToken);
        var filters = new Dictionary<string, ServedFilter>(StringComparer.Ordinal);
        foreach (var filter in exposed.Filters)
        {
            if (RowsQuery.Reserved.Contains(filter.Name, StringComparer.OrdinalIgnoreCase))
            {
                throw Error(exposed.Location, $"{what}: filter '{filter.Name}' has the name of a parameter the row endpoint takes itself ({string.Join(", ", RowsQuery.Reserved)}); name it otherwise, such as `{filter.Name}_value: {{column: {filter.Column}}}`.");
            }

            var column = Column(relation, filter.Column, exposed.Location, $"{what}: filter '{filter.Name}'");
            if (filter.Range && !IsOrdered(column.Type.Kind))
            {
                throw Error(exposed.Location, $"{what}: filter '{filter.Name}' takes a range, but column '{column.Name}' is {column.Type.Kind}; ranges need numbers, dates or timestamps.");
            }

            filters[filter.Name] = new ServedFilter(filter, column);
        }

        return new ServedRows(exposed, relation, filters);
    }

    private async Task<ServedRelation> RelationAsync(RelationReference reference, string location, string what, bool perTenant, CancellationToken cancellationToken)
    {
        if (!_relations.TryGetValue(reference, out var relation))
        {
            var table = reference.TableIn(_project)
                ?? throw Error(location, $"{what} reads '{reference.Model}', an ephemeral model with no relation in the warehouse; materialize it as a view or table.");
            var info = await _session.DescribeTableAsync(table, cancellationToken)
                ?? throw Error(location, $"{what} reads {reference}, but {table} does not exist in the warehouse ({_session.Warehouse.DisplayLocation}); run `sluice {(reference.IsSource ? "sync" : "build")}` first.");
            var tenant = _catalog.TenantColumn is { } column ? info.Columns.FirstOrDefault(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase)) : null;
            relation = new ServedRelation(reference, table, info.Columns, tenant);
            _relations[reference] = relation;
        }

        if (perTenant && _catalog.TenantColumn is { } tenantColumn && relation.Tenant is null)
        {
            throw Error(location, $"{what} reads {relation.Table}, which has no column '{tenantColumn}'; metrics.yml's tenant.column scopes every relation served, so add the column to the model.");
        }

        return relation;
    }

    private static ColumnSpec Column(ServedRelation relation, string name, string location, string what) =>
        relation.Find(name) ?? throw Error(location, $"{what}: column '{name}' is not in {relation.Table} (its columns: {relation.ColumnList}).");

    private static ColumnSpec TimeColumn(ServedRelation relation, string name, string location, string what)
    {
        var column = Column(relation, name, location, $"{what}: time");
        return column.Type.Kind is ColumnKind.Date or ColumnKind.Timestamp or ColumnKind.TimestampTz
            ? column
            : throw Error(location, $"{what}: time column '{column.Name}' is {column.Type.Kind}; it must be a date or a timestamp.");
    }

    private static Dictionary<string, ColumnSpec> Dimensions(ServedRelation relation, IReadOnlyList<string> names, string location, string what) =>
        names.ToDictionary(d => d, d => Column(relation, d, location, $"{what}: dimension"), StringComparer.Ordinal);

    private async Task CompilesAsync(ServedRelation relation, string expression, string location, string what, CancellationToken cancellationToken)
    {
        try
        {
            await using var reader = await _session.QueryAsync($"select {expression} from {_session.Warehouse.Dialect.Quote(relation.Table)} where 1 = 0", cancellationToken: cancellationToken);
        }
        catch (WarehouseException e)
        {
            throw Error(location, $"{what} does not compile against {relation.Table}: {FirstLine(e.Message)}");
        }
    }

    private static bool IsOrdered(ColumnKind kind) => kind is ColumnKind.SmallInt or ColumnKind.Integer or ColumnKind.BigInt or ColumnKind.Real
        or ColumnKind.Double or ColumnKind.Decimal or ColumnKind.Date or ColumnKind.Timestamp or ColumnKind.TimestampTz or ColumnKind.Text;

    private static string Agg(Measure measure) => measure.Aggregation == Aggregation.CountDistinct ? "count_distinct" : "count";

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static ConfigurationException Error(string location, string message) => new($"{location}: {message}");
}
