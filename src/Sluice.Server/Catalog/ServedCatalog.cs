using Sluice.Core.Models;

namespace Sluice.Server.Catalog;

/// <summary>
/// What the server answers for: metrics.yml's definitions, each bound to the warehouse's tables
/// and columns when the server started. Queries take identifiers only from here.
/// </summary>
/// <param name="Project">The project served.</param>
/// <param name="TenantColumn">The tenant column's name, or null when rows are not per tenant.</param>
/// <param name="Metrics">Metrics by name.</param>
/// <param name="Funnels">Funnels by name.</param>
/// <param name="Benchmarks">Benchmarks by name.</param>
/// <param name="Rows">Row endpoints by relation name.</param>
public sealed record ServedCatalog(
    ParsedProject Project,
    string? TenantColumn,
    IReadOnlyDictionary<string, ServedMetric> Metrics,
    IReadOnlyDictionary<string, ServedFunnel> Funnels,
    IReadOnlyDictionary<string, ServedBenchmark> Benchmarks,
    IReadOnlyDictionary<string, ServedRows> Rows)
{
    /// <summary>Every relation served, once each.</summary>
    public IEnumerable<ServedRelation> Relations =>
        Metrics.Values.Select(m => m.Relation)
            .Concat(Funnels.Values.Select(f => f.Relation))
            .Concat(Rows.Values.Select(r => r.Relation))
            .DistinctBy(r => r.Table);
}
