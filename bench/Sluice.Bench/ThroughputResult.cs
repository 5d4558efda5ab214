namespace Sluice.Bench;

/// <summary>
/// A timed part's figures: the binding's times over <see cref="Rows"/> rows and the times of its
/// limit, DuckDB doing the equivalent work in SQL in the same run.
/// </summary>
internal sealed record ThroughputResult(
    string Part,
    long Rows,
    Samples Binding,
    Samples Limit,
    string LimitSql,
    double GoalRowsPerSecond,
    IReadOnlyList<string> Notes)
{
    public double BestRate => Rows / Binding.Best.TotalSeconds;

    public double MedianRate => Rows / Binding.Median.TotalSeconds;

    public double LimitBestRate => Rows / Limit.Best.TotalSeconds;

    public double LimitMedianRate => Rows / Limit.Median.TotalSeconds;

    /// <summary>How many times longer the binding takes than DuckDB alone; 1 would be no overhead at all.</summary>
    public double BestRatio => Binding.Best / Limit.Best;

    public double MedianRatio => Binding.Median / Limit.Median;

    public bool Pass => MedianRate >= GoalRowsPerSecond;

    public string Goal => "≥ " + Format.Rate(GoalRowsPerSecond);

    /// <summary>When DuckDB alone misses the goal, no binding can meet it on this machine.</summary>
    public bool LimitBelowGoal => LimitMedianRate < GoalRowsPerSecond;

    public string RunTimes =>
        $"binding {string.Join(", ", Binding.Runs.Select(Format.Seconds))}; DuckDB alone {string.Join(", ", Limit.Runs.Select(Format.Seconds))}";
}
