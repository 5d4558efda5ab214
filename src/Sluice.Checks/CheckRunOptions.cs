using Sluice.Core.Models;

namespace Sluice.Checks;

/// <summary>How a run of checks sees the data.</summary>
public sealed record CheckRunOptions
{
    /// <summary>The run's id, shared with the job runs of <c>sluice build</c>.</summary>
    public string InvocationId { get; init; } = Guid.CreateVersion7().ToString("N");

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The first day templates see as the partition start (<c>where</c> may use it).</summary>
    public DateOnly From { get; init; } = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);

    /// <summary>The last day (inclusive).</summary>
    public DateOnly To { get; init; } = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);

    /// <summary>
    /// The partitions in scope per partitioned model: its checks look at these only. A model not
    /// listed is checked whole.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DatePartition>> Partitions { get; init; } =
        new Dictionary<string, IReadOnlyList<DatePartition>>(StringComparer.Ordinal);

    /// <summary>The clock freshness is measured against.</summary>
    public Func<DateTimeOffset> Now { get; init; } = () => DateTimeOffset.UtcNow;
}
