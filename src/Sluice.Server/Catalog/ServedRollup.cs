using Sluice.Core.Models;
using Sluice.Core.Warehouse;

namespace Sluice.Server.Catalog;

/// <summary>A rollup of a metric's model that can give the metric's value: same time column, and the measure among its measures (or a row count).</summary>
/// <param name="Definition">As the model declares it.</param>
/// <param name="Table">Its table.</param>
/// <param name="Measure">The rollup measure the metric aggregates, or null when the metric counts rows.</param>
public sealed record ServedRollup(RollupDefinition Definition, TableName Table, string? Measure)
{
    /// <summary>Whether it keeps <paramref name="column"/> as a dimension.</summary>
    public bool Keeps(ColumnSpec column) => Definition.HasDimension(column.Name);
}
