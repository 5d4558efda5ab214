namespace Sluice.Core.Metrics;

/// <summary>Everything metrics.yml declares for the API; empty when the project has no metrics.yml.</summary>
/// <param name="TenantColumn">The column that scopes rows to a tenant in every relation served, or null when rows are not per tenant.</param>
/// <param name="Metrics">The metrics.</param>
/// <param name="Funnels">The funnels.</param>
/// <param name="Benchmarks">The benchmarks.</param>
/// <param name="Exposed">The relations served row by row.</param>
/// <param name="File">The file read, or null when there is none.</param>
public sealed record MetricsCatalog(
    string? TenantColumn,
    IReadOnlyList<MetricDefinition> Metrics,
    IReadOnlyList<FunnelDefinition> Funnels,
    IReadOnlyList<BenchmarkDefinition> Benchmarks,
    IReadOnlyList<ExposedModel> Exposed,
    string? File)
{
    /// <summary>No metrics.yml.</summary>
    public static MetricsCatalog Empty { get; } = new(null, [], [], [], [], null);
}
