using Sluice.Core.Models;
using Sluice.Models.State;

namespace Sluice.Models.Run;

/// <summary>How a run builds what it selected.</summary>
public sealed record RunOptions
{
    /// <summary>How many models are built at once.</summary>
    public int Threads { get; init; } = 4;

    /// <summary>How many partitions of one model are built at once.</summary>
    public int PartitionConcurrency { get; init; } = 1;

    /// <summary>Rebuild incremental and partitioned models from scratch.</summary>
    public bool FullRefresh { get; init; }

    /// <summary>Rebuild partitions that already succeeded.</summary>
    public bool Force { get; init; }

    /// <summary>The first day whose partition is built (partitioned models only).</summary>
    public required DateOnly From { get; init; }

    /// <summary>The last day whose partition is built (inclusive).</summary>
    public required DateOnly To { get; init; }

    /// <summary>The run's id, shared by its job-run rows.</summary>
    public string InvocationId { get; init; } = Guid.CreateVersion7().ToString("N");

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Options for one day (<c>--date</c>); the default is yesterday, UTC.</summary>
    public static RunOptions ForDay(DateOnly? day = null)
    {
        var target = day ?? DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        return new RunOptions { From = target, To = target };
    }
}

/// <summary>What happened to one model, seed or snapshot in a run.</summary>
/// <param name="Name">The resource.</param>
/// <param name="Model">Its definition.</param>
/// <param name="Status">Success, Failed or Skipped.</param>
/// <param name="Rows">Rows read and changed, summed over partitions.</param>
/// <param name="Duration">Wall time.</param>
/// <param name="Error">Why it failed or was skipped.</param>
/// <param name="PartitionsBuilt">Partitions built (partitioned models).</param>
/// <param name="PartitionsSkipped">Partitions left alone because they had succeeded before; each has a SKIPPED run, ALREADY_BUILT.</param>
/// <param name="Exception">What was thrown, for --verbose.</param>
/// <param name="Built">The partitions this run built, for a partitioned model; null for other resources.</param>
/// <param name="Blocked">Why the resource's dependants must not build although it succeeded (a failing check), or null.</param>
public sealed record NodeResult(
    string Name,
    ModelDefinition Model,
    JobStatus Status,
    RowCounts Rows,
    TimeSpan Duration,
    string? Error,
    int PartitionsBuilt = 0,
    int PartitionsSkipped = 0,
    Exception? Exception = null,
    IReadOnlyList<DatePartition>? Built = null,
    string? Blocked = null);

/// <summary>Hears about a run's progress, for the terminal; must not throw.</summary>
public interface IRunObserver
{
    /// <summary>A resource starts.</summary>
    void Started(ModelDefinition model, int index, int total);

    /// <summary>A partition of a partitioned model finished (built or failed).</summary>
    void PartitionFinished(ModelDefinition model, DatePartition partition, JobStatus status, int done, int total);

    /// <summary>A resource finished.</summary>
    void Finished(NodeResult result, int index, int total);
}
