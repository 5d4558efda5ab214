namespace Sluice.Bench;

/// <summary>
/// Times the binding and its limit in alternation: warm-up first, then the measured rounds. Taking
/// both from the same rounds means a slow phase of the machine (another process, page cache,
/// CPU frequency) lands on both sides of the ratio rather than on one of them.
/// </summary>
internal static class AlternatingRuns
{
    /// <summary>Each delegate prepares, runs and verifies one round, and returns only the timed part.</summary>
    public static (Samples Binding, Samples Limit) Measure(int runs, Func<TimeSpan> limit, Func<TimeSpan> binding)
    {
        var bindingSamples = new Samples();
        var limitSamples = new Samples();
        for (var round = 0; round <= runs; round++)
        {
            var limitTime = limit();
            var bindingTime = binding();
            var label = round == 0 ? "warm-up" : $"run {round}";
            Console.WriteLine($"    {label,-8} DuckDB alone {Format.Seconds(limitTime),9}   binding {Format.Seconds(bindingTime),9}   ratio {Format.Ratio(bindingTime / limitTime)}");
            if (round > 0)
            {
                bindingSamples.Add(bindingTime);
                limitSamples.Add(limitTime);
            }
        }

        return (bindingSamples, limitSamples);
    }
}
