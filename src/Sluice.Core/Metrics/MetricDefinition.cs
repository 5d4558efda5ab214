using Sluice.Core.Models;

namespace Sluice.Core.Metrics;

/// <summary>How a metric combines the rows of a period.</summary>
public enum Aggregation
{
    /// <summary>Rows (or non-null values of the expression).</summary>
    Count,

    /// <summary>Distinct non-null values of the expression.</summary>
    CountDistinct,

    /// <summary>Sum of the expression.</summary>
    Sum,

    /// <summary>Mean of the expression.</summary>
    Avg,

    /// <summary>Least value of the expression.</summary>
    Min,

    /// <summary>Greatest value of the expression.</summary>
    Max,

    /// <summary>A percentile of the expression (continuous, as <c>percentile_cont</c>).</summary>
    Percentile,
}

/// <summary>What a metric measures.</summary>
/// <param name="Aggregation">How rows combine.</param>
/// <param name="Expression">The SQL expression over the relation's columns; null for a count of rows.</param>
/// <param name="Percentile">For <see cref="Aggregation.Percentile"/>: the fraction, such as 0.9.</param>
public sealed record Measure(Aggregation Aggregation, string? Expression, double? Percentile = null);

/// <summary>One metric of metrics.yml: a measure of a relation over time, by dimensions.</summary>
/// <param name="Name">The name the API uses: <c>/api/v1/metrics/{name}/trend</c>.</param>
/// <param name="Relation">The model or source table it reads.</param>
/// <param name="Time">The date or timestamp column that places a row in time.</param>
/// <param name="Measure">What it measures.</param>
/// <param name="Dimensions">Columns it may be grouped and filtered by.</param>
/// <param name="Description">What it means, for the catalog.</param>
/// <param name="Location">Where it is declared: <c>metrics.yml:line:column</c>.</param>
public sealed record MetricDefinition(
    string Name,
    RelationReference Relation,
    string Time,
    Measure Measure,
    IReadOnlyList<string> Dimensions,
    string? Description,
    string Location);
