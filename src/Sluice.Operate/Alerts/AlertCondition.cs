namespace Sluice.Operate.Alerts;

/// <summary>What an alert rule watches; each kind is evaluated against the warehouse's <c>_sluice</c> state or a metric.</summary>
public abstract record AlertCondition
{
    /// <summary>The kind as alerts.yml names it: metric, check_failed, partition_late, freshness, parity, job_duration, job_failed, job_rows, sync_lag, schedule.</summary>
    public abstract string Kind { get; }
}

/// <summary>How a metric's latest value is compared.</summary>
public enum MetricComparison
{
    /// <summary>Fires when the value is above the threshold.</summary>
    Above,

    /// <summary>Fires when the value is below the threshold.</summary>
    Below,

    /// <summary>Fires when the value rose by more than the threshold, in percent of the previous period's.</summary>
    ChangeAbove,

    /// <summary>Fires when the value fell by more than the threshold, in percent of the previous period's.</summary>
    ChangeBelow,
}

/// <summary>A metric of metrics.yml, over its latest complete period (day by default).</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Comparison">How its value is compared.</param>
/// <param name="Threshold">The value, or the change in percent.</param>
/// <param name="Grain">The period: day, week or month.</param>
public sealed record MetricCondition(string Metric, MetricComparison Comparison, double Threshold, string Grain) : AlertCondition
{
    /// <inheritdoc />
    public override string Kind => "metric";
}

/// <summary>A check that failed in its latest result (error severity, or warn too).</summary>
/// <param name="Checks">Check names or patterns with <c>*</c>; empty for every check.</param>
/// <param name="IncludeWarnings">Whether a check that warned counts.</param>
public sealed record CheckFailedCondition(IReadOnlyList<string> Checks, bool IncludeWarnings) : AlertCondition
{
    /// <inheritdoc />
    public override string Kind => "check_failed";
}

/// <summary>A partitioned model with no SUCCESS run for yesterday's partition by a deadline today.</summary>
/// <param name="Model">The model.</param>
/// <param name="Deadline">The time of day by which yesterday's partition must be there.</param>
/// <param name="Zone">The zone of the deadline and of "yesterday".</param>
public sealed record PartitionLateCondition(string Model, TimeOnly Deadline, TimeZoneInfo Zone) : AlertCondition
{
    /// <inheritdoc />
    public override string Kind => "partition_late";
}

/// <summary>A synced table whose last successful sync is older than a limit.</summary>
/// <param name="Table">The table as <c>source.table</c>; null for every synced table.</param>
/// <param name="MaxAge">The limit.</param>
public sealed record FreshnessCondition(string? Table, TimeSpan MaxAge) : AlertCondition
{
    /// <inheritdoc />
    public override string Kind => "freshness";
}

/// <summary>A table whose latest parity check found more mismatching rows than a ratio.</summary>
/// <param name="Table">The table as <c>source.table</c>; null for every table with parity.</param>
/// <param name="MaxRatio">The largest mismatch ratio that does not fire (0.005 for 0.5%).</param>
public sealed record ParityCondition(string? Table, double MaxRatio) : AlertCondition
{
    /// <inheritdoc />
    public override string Kind => "parity";
}

/// <summary>Jobs whose 95th percentile duration over a window is above a limit (an SLO such as 300 s).</summary>
/// <param name="Jobs">Job names or patterns with <c>*</c>; empty for every job.</param>
/// <param name="P95Above">The limit.</param>
/// <param name="Window">How far back runs count.</param>
public sealed record JobDurationCondition(IReadOnlyList<string> Jobs, TimeSpan P95Above, TimeSpan Window) : AlertCondition
{
    /// <inheritdoc />
    public override string Kind => "job_duration";
}

/// <summary>
/// Jobs whose latest finished run (SUCCESS or FAILED) within a window failed, per job and per
/// partition: a partition that failed and then succeeded on a retry no longer holds.
/// </summary>
/// <param name="Jobs">Job names or patterns with <c>*</c>; empty for every job.</param>
/// <param name="Window">How far back finished runs count.</param>
public sealed record JobFailedCondition(IReadOnlyList<string> Jobs, TimeSpan Window) : AlertCondition
{
    /// <inheritdoc />
    public override string Kind => "job_failed";
}

/// <summary>
/// Jobs whose latest successful run processed more than a share fewer rows than the median of
/// their successful runs in a window before it (a partition's run is one run).
/// </summary>
/// <param name="Jobs">Job names or patterns with <c>*</c>; empty for every job.</param>
/// <param name="DropAbove">The drop, in percent of the median, that may not be passed (50 for half).</param>
/// <param name="Window">How far before the latest run the runs of the median count.</param>
/// <param name="MinRuns">The fewest runs the median needs before the condition can hold, so that a new job does not.</param>
public sealed record JobRowsCondition(IReadOnlyList<string> Jobs, double DropAbove, TimeSpan Window, int MinRuns) : AlertCondition
{
    /// <inheritdoc />
    public override string Kind => "job_rows";
}

/// <summary>A synced table whose newest synced row is older than a limit compared with now.</summary>
/// <param name="Table">The table as <c>source.table</c>; null for every synced table.</param>
/// <param name="MaxLag">The limit.</param>
public sealed record SyncLagCondition(string? Table, TimeSpan MaxLag) : AlertCondition
{
    /// <inheritdoc />
    public override string Kind => "sync_lag";
}

/// <summary>A schedule whose latest run failed, or whose tick did not run within a grace after it was due.</summary>
/// <param name="Schedule">The schedule; null for every schedule.</param>
/// <param name="OnFailed">Fire when its latest run ended FAILED, TIMED_OUT or INTERRUPTED.</param>
/// <param name="OnMissed">Fire when a tick was not run within <paramref name="MissedAfter"/> of its time.</param>
/// <param name="MissedAfter">How late a tick may start before it counts as missed.</param>
public sealed record ScheduleCondition(string? Schedule, bool OnFailed, bool OnMissed, TimeSpan MissedAfter) : AlertCondition
{
    /// <inheritdoc />
    public override string Kind => "schedule";
}
