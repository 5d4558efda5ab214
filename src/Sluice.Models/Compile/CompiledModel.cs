using Sluice.Core.Models;
using Sluice.Core.Templating;

namespace Sluice.Models.Compile;

/// <summary>A model's SQL as one run executes it: rendered, with ephemeral models inlined as CTEs.</summary>
/// <param name="Definition">The model.</param>
/// <param name="Sql">The SELECT (or, for snapshots, the query whose rows are tracked).</param>
/// <param name="Map">Where each stretch of <paramref name="Sql"/> came from in the model's file (or an inlined ephemeral model's).</param>
public sealed record CompiledModel(ModelDefinition Definition, string Sql, SourceMap Map);

/// <summary>The facts of one rendering that templates may see.</summary>
/// <param name="IsIncremental">The model's table exists and the run adds to it.</param>
/// <param name="PartitionStart">First day of the partition built (inclusive).</param>
/// <param name="PartitionEnd">Day after the partition (exclusive).</param>
/// <param name="RunStartedAt">When the run started.</param>
/// <param name="InvocationId">The run's id.</param>
public sealed record RenderFacts(bool IsIncremental, DateOnly PartitionStart, DateOnly PartitionEnd, DateTimeOffset RunStartedAt, string InvocationId)
{
    /// <summary>The warehouse, for <c>run_query</c> and the adapter's catalog reads; null when the command has none open.</summary>
    public ITemplateWarehouse? Warehouse { get; init; }

    /// <summary>Whether the run rebuilds incremental models from scratch.</summary>
    public bool FullRefresh { get; init; }

    /// <summary>Receives what templates <c>log()</c>.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>A non-incremental rendering for yesterday's partition, as <c>sluice compile</c> shows.</summary>
    public static RenderFacts Default(DateTimeOffset now, string invocationId)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new RenderFacts(false, today.AddDays(-1), today, now, invocationId);
    }
}
