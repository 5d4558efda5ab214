namespace Sluice.Models.State;

/// <summary>The status of a job run.</summary>
public enum JobStatus
{
    /// <summary>Started and not finished; a row left so by a killed process is marked FAILED at the next start.</summary>
    Running,

    /// <summary>Finished; its rows are committed.</summary>
    Success,

    /// <summary>Stopped by an error; nothing of it is committed.</summary>
    Failed,

    /// <summary>Not run: see its <see cref="SkipReason"/>.</summary>
    Skipped,
}

/// <summary>Why a run was skipped; the two call for different things.</summary>
public enum SkipReason
{
    /// <summary>
    /// Something it depends on failed or was skipped, or a failing check stopped it: it was due and
    /// is not built, so it needs attention.
    /// </summary>
    Upstream,

    /// <summary>
    /// Its partition was built before (a SUCCESS run that no full refresh has superseded) and
    /// nothing has made it stale: there was nothing to do. <c>--force</c> builds it again.
    /// </summary>
    AlreadyBuilt,
}

/// <summary>Skip reasons as <c>_sluice.job_runs.skip_reason</c> stores them: UPSTREAM, ALREADY_BUILT.</summary>
public static class SkipReasons
{
    /// <summary>The stored name of <paramref name="reason"/>.</summary>
    public static string Name(SkipReason reason) => reason switch
    {
        SkipReason.Upstream => "UPSTREAM",
        SkipReason.AlreadyBuilt => "ALREADY_BUILT",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>The reason a stored name stands for; null for a run that was not skipped.</summary>
    public static SkipReason? Parse(string? name) => name switch
    {
        null => null,
        "UPSTREAM" => SkipReason.Upstream,
        "ALREADY_BUILT" => SkipReason.AlreadyBuilt,
        _ => throw new InvalidOperationException($"_sluice.job_runs holds skip_reason '{name}', which this Sluice does not know; upgrade Sluice."),
    };
}

/// <summary>A partition's latest SUCCESS run that no full refresh has superseded.</summary>
/// <param name="Partition">The partition's first day.</param>
/// <param name="InvocationId">The invocation that built it.</param>
/// <param name="BuiltAt">When that run committed.</param>
public readonly record struct PartitionBuild(DateOnly Partition, string InvocationId, DateTimeOffset BuiltAt);

/// <summary>The rows a run read and changed.</summary>
/// <param name="Processed">Rows the model's query produced.</param>
/// <param name="Inserted">Rows added to the table.</param>
/// <param name="Updated">Rows replaced by a newer version (merge, snapshots).</param>
/// <param name="Deleted">Rows removed (delete+insert, partition replace, snapshots' closed versions are updates).</param>
public readonly record struct RowCounts(long Processed, long Inserted, long Updated, long Deleted)
{
    /// <summary>Nothing counted (views).</summary>
    public static RowCounts None => default;
}

/// <summary>One row of <c>_sluice.job_runs</c>.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="InvocationId">The command invocation it belongs to.</param>
/// <param name="JobName">The model, seed or snapshot.</param>
/// <param name="Kind">model, seed or snapshot.</param>
/// <param name="RunDate">The UTC day it ran.</param>
/// <param name="TargetDate">The partition's first day, for partitioned models.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Rows">Rows read and changed.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="ErrorMessage">Why it failed or was skipped, in words.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="CompletedAt">When it ended.</param>
/// <param name="SupersededBy">
/// For a partition's SUCCESS run, the invocation of the full refresh that dropped the partition
/// since (<c>unknown</c> when it was superseded before Sluice recorded which); null otherwise.
/// </param>
/// <param name="SkipReason">Why a SKIPPED run was skipped; null for other runs.</param>
public sealed record JobRun(
    string Id,
    string InvocationId,
    string JobName,
    string Kind,
    DateOnly RunDate,
    DateOnly? TargetDate,
    JobStatus Status,
    RowCounts Rows,
    long? DurationMs,
    string? ErrorMessage,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    string? SupersededBy,
    SkipReason? SkipReason);
