using Sluice.Core.Models;

namespace Sluice.Core.Warehouse;

/// <summary>
/// How a model's table is laid out where the engine lays tables out (ClickHouse: the MergeTree's
/// PARTITION BY and ORDER BY, LowCardinality columns). An engine without layouts builds the same
/// table without one: the layout changes how rows are stored, never which rows a query sees.
/// </summary>
/// <param name="Partition">The date partitions the table is split into, or null.</param>
/// <param name="OrderBy">The columns the rows are kept sorted by; empty for arrival order.</param>
/// <param name="LowCardinality">Text columns with few distinct values, kept as a dictionary of them.</param>
public sealed record TableLayout(TablePartitioning? Partition, IReadOnlyList<string> OrderBy, IReadOnlyList<string> LowCardinality)
{
    /// <summary>No partitions, arrival order, plain columns.</summary>
    public static TableLayout None { get; } = new(null, [], []);

    /// <summary>True when the layout asks for nothing.</summary>
    public bool IsNone => Partition is null && OrderBy.Count == 0 && LowCardinality.Count == 0;
}

/// <summary>A table split by a date column into partitions of one grain.</summary>
/// <param name="Column">The partition column.</param>
/// <param name="Grain">The size of a partition.</param>
/// <param name="Kind">What the column holds: dates or timestamps, or yyyymmdd date keys.</param>
public sealed record TablePartitioning(string Column, PartitionGrain Grain, PartitionKeyKind Kind);
