namespace Sluice.Bench;

/// <summary>One engine × size × question: the served latencies and the engine's own time for the same SQL.</summary>
internal sealed record ScaleCell(string Engine, long Rows, string Question, IReadOnlyList<TimeSpan> Served, IReadOnlyList<TimeSpan> Limit)
{
    public TimeSpan P50 => Samples.Percentile(Served, 0.50);

    public TimeSpan P95 => Samples.Percentile(Served, 0.95);

    public TimeSpan LimitP50 => Samples.Percentile(Limit, 0.50);

    /// <summary>Engine alone over served, at the median: 1.0 when Sluice adds nothing.</summary>
    public double Ratio => P50 > TimeSpan.Zero ? LimitP50 / P50 : 0;
}

/// <summary>How long one engine took to take one size's data through Sluice's bulk load.</summary>
internal sealed record ScaleLoad(string Engine, long Rows, long Events, TimeSpan Took);

/// <summary>What the scale benchmark measured, what it skipped and which answers disagreed.</summary>
internal sealed record ScaleResult(
    IReadOnlyList<ScaleCell> Cells,
    IReadOnlyList<ScaleLoad> Loads,
    IReadOnlyList<(string Engine, string Method)> LimitMethods,
    IReadOnlyList<string> Skipped,
    IReadOnlyList<string> Mismatches)
{
    /// <summary>The cell of the same engine and question at the next smaller size measured, if any.</summary>
    public ScaleCell? Smaller(ScaleCell cell) => Cells
        .Where(c => c.Engine == cell.Engine && c.Question == cell.Question && c.Rows < cell.Rows)
        .MaxBy(c => c.Rows);
}
