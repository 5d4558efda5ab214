namespace Sluice.Bench;

/// <summary>
/// The measured durations of one timed part. Best is what the code can do; the median is what
/// to expect, and the goals are judged on it.
/// </summary>
internal sealed class Samples
{
    private readonly List<TimeSpan> _runs = [];

    public IReadOnlyList<TimeSpan> Runs => _runs;

    public TimeSpan Best => _runs.Count == 0 ? TimeSpan.Zero : _runs.Min();

    public TimeSpan Median
    {
        get
        {
            if (_runs.Count == 0)
            {
                return TimeSpan.Zero;
            }

            var sorted = _runs.Order().ToArray();
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    public void Add(TimeSpan run) => _runs.Add(run);

    /// <summary>The nearest-rank percentile of <paramref name="runs"/>; zero when there are none.</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> runs, double fraction)
    {
        if (runs.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var sorted = runs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
