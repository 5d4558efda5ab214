using Sluice.Core.Metrics;
using Sluice.Core.Warehouse;

namespace Sluice.Server.Catalog;

/// <summary>A funnel with its relation and columns checked against the warehouse.</summary>
/// <param name="Definition">As metrics.yml declares it.</param>
/// <param name="Relation">The events' relation.</param>
/// <param name="Entity">The column identifying who moves through the steps.</param>
/// <param name="Time">The event time column.</param>
/// <param name="Step">The column naming the event.</param>
/// <param name="Dimensions">The columns it may be filtered by, by the name the API uses.</param>
public sealed record ServedFunnel(FunnelDefinition Definition, ServedRelation Relation, ColumnSpec Entity, ColumnSpec Time, ColumnSpec Step, IReadOnlyDictionary<string, ColumnSpec> Dimensions)
{
    /// <summary>The name the API uses.</summary>
    public string Name => Definition.Name;
}
