using Sluice.Core.Metrics;
using Sluice.Core.Warehouse;

namespace Sluice.Server.Catalog;

/// <summary>A filter of a row endpoint with its column checked against the warehouse.</summary>
/// <param name="Definition">As metrics.yml declares it.</param>
/// <param name="Column">The column it filters.</param>
public sealed record ServedFilter(ExposedFilter Definition, ColumnSpec Column);

/// <summary>A relation served row by row, with its filters checked against the warehouse.</summary>
/// <param name="Definition">As metrics.yml declares it.</param>
/// <param name="Relation">The relation.</param>
/// <param name="Filters">Its filters by parameter name.</param>
public sealed record ServedRows(ExposedModel Definition, ServedRelation Relation, IReadOnlyDictionary<string, ServedFilter> Filters)
{
    /// <summary>The name in the endpoint's path.</summary>
    public string Name => Definition.Name;
}
