using Sluice.Core.Metrics;
using Sluice.Core.Warehouse;

namespace Sluice.Server.Catalog;

/// <summary>A metric with its relation and columns checked against the warehouse.</summary>
/// <param name="Definition">As metrics.yml declares it.</param>
/// <param name="Relation">The relation it reads.</param>
/// <param name="Time">Its time column (a date or timestamp).</param>
/// <param name="Dimensions">Its dimensions by the name the API uses.</param>
public sealed record ServedMetric(MetricDefinition Definition, ServedRelation Relation, ColumnSpec Time, IReadOnlyDictionary<string, ColumnSpec> Dimensions)
{
    /// <summary>The rollups of its model that can give its value, coarsest first.</summary>
    public IReadOnlyList<ServedRollup> Rollups { get; init; } = [];

    /// <summary>The name the API uses.</summary>
    public string Name => Definition.Name;

    /// <summary>Whether the metric aggregates a numeric value per row (every aggregation but the counts), which cohorts and benchmarks compare.</summary>
    public bool HasNumericValue => Definition.Measure.Aggregation is not (Aggregation.Count or Aggregation.CountDistinct);
}
