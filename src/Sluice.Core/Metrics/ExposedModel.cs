using Sluice.Core.Models;

namespace Sluice.Core.Metrics;

/// <summary>A filter a row endpoint accepts.</summary>
/// <param name="Name">The query parameter: <c>?name=v</c>, or <c>name_from</c>/<c>name_to</c> for a range.</param>
/// <param name="Column">The column it filters.</param>
/// <param name="Range">Whether it takes a range (from, to) rather than one value.</param>
public sealed record ExposedFilter(string Name, string Column, bool Range);

/// <summary>A relation whose rows <c>/api/v1/models/{name}/rows</c> serves, filtered by declared filters only.</summary>
/// <param name="Relation">The model or source table.</param>
/// <param name="Filters">The filters it accepts.</param>
/// <param name="Location">Where it is declared.</param>
public sealed record ExposedModel(RelationReference Relation, IReadOnlyList<ExposedFilter> Filters, string Location)
{
    /// <summary>The name in the endpoint's path: the model's name, or <c>source.table</c>.</summary>
    public string Name => Relation.DisplayName;
}
