using Sluice.Core.Models;

namespace Sluice.Core.Metrics;

/// <summary>
/// A group of peers: entities sharing the value of <paramref name="Column"/> in
/// <paramref name="Relation"/>, joined to the metric's rows on the benchmark's entity column.
/// </summary>
/// <param name="Name">The name the API's <c>by</c> parameter uses: industry, region, size.</param>
/// <param name="Relation">The relation holding one row per entity (a dimension table).</param>
/// <param name="Column">Its column whose value makes peers.</param>
public sealed record PeerGroup(string Name, RelationReference Relation, string Column);

/// <summary>Where a tenant key's peers come from.</summary>
public enum PeerScope
{
    /// <summary>The tenant's own rows only (the default): a benchmark of tenants has no peers for a tenant key.</summary>
    Tenant,

    /// <summary>
    /// Other tenants too, shown to a tenant key only as quartiles over at least
    /// <see cref="BenchmarkDefinition.MinPeers"/> of them; the benchmark's entity must be the tenant column.
    /// </summary>
    CrossTenant,
}

/// <summary>The names metrics.yml and the API give <see cref="PeerScope"/>'s values.</summary>
public static class PeerScopes
{
    /// <summary>The name of <paramref name="scope"/>: <c>tenant</c> or <c>cross_tenant</c>.</summary>
    public static string Name(this PeerScope scope) => scope == PeerScope.CrossTenant ? "cross_tenant" : "tenant";

    /// <summary>The scope named <paramref name="name"/>, or null.</summary>
    public static PeerScope? Parse(string name) => name switch
    {
        "tenant" => PeerScope.Tenant,
        "cross_tenant" => PeerScope.CrossTenant,
        _ => null,
    };
}

/// <summary>An entity's value of a metric against its peers'.</summary>
/// <param name="Name">The name the API uses: <c>/api/v1/benchmarks/{name}</c>.</param>
/// <param name="Metric">The metric compared.</param>
/// <param name="Entity">The column identifying an entity, in the metric's relation and in each peer group's.</param>
/// <param name="PeerGroups">The ways of choosing peers.</param>
/// <param name="Location">Where it is declared.</param>
public sealed record BenchmarkDefinition(string Name, string Metric, string Entity, IReadOnlyList<PeerGroup> PeerGroups, string Location)
{
    /// <summary>The fewest peers whose quartiles a tenant key may see across tenants: fewer could single one out.</summary>
    public const int LeastMinPeers = 5;

    /// <summary>Where a tenant key's peers come from.</summary>
    public PeerScope Peers { get; init; } = PeerScope.Tenant;

    /// <summary>With <see cref="PeerScope.CrossTenant"/>: the fewest peers with a value for which a tenant key sees their quartiles.</summary>
    public int MinPeers { get; init; } = LeastMinPeers;
}
