using Sluice.Core.Metrics;
using Sluice.Core.Warehouse;

namespace Sluice.Server.Catalog;

/// <summary>A peer group checked against the warehouse.</summary>
/// <param name="Name">The name the <c>by</c> parameter uses.</param>
/// <param name="Relation">The relation with one row per entity.</param>
/// <param name="Entity">Its entity column.</param>
/// <param name="Column">Its column whose value makes peers.</param>
public sealed record ServedPeerGroup(string Name, ServedRelation Relation, ColumnSpec Entity, ColumnSpec Column);

/// <summary>A benchmark with its metric and peer groups checked against the warehouse.</summary>
/// <param name="Definition">As metrics.yml declares it.</param>
/// <param name="Metric">The metric compared.</param>
/// <param name="Entity">The entity column in the metric's relation.</param>
/// <param name="PeerGroups">The peer groups by name.</param>
public sealed record ServedBenchmark(BenchmarkDefinition Definition, ServedMetric Metric, ColumnSpec Entity, IReadOnlyDictionary<string, ServedPeerGroup> PeerGroups)
{
    /// <summary>The name the API uses.</summary>
    public string Name => Definition.Name;

    /// <summary>Whether its entities are tenants: the entity is the metric's tenant column.</summary>
    public bool ComparesTenants => IsTenantColumn(Metric, Entity);

    /// <summary>Whether <paramref name="entity"/> is the tenant column of <paramref name="metric"/>'s relation.</summary>
    public static bool IsTenantColumn(ServedMetric metric, ColumnSpec entity) =>
        metric.Relation.Tenant is { } tenant && string.Equals(tenant.Name, entity.Name, StringComparison.Ordinal);
}
