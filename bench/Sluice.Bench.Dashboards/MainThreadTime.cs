using Microsoft.Playwright;

namespace Sluice.Bench;

/// <summary>
/// How long the page's main thread was busy during one load, from chromium's own counters
/// (the DevTools protocol's <c>Performance.getMetrics</c>): all its tasks, and of them running
/// script and laying out and styling the page. Busy time close to the load's time means the page
/// waits on its own work, not on the server.
/// </summary>
internal sealed record MainThreadTime(double Task, double Script, double Layout)
{
    private readonly record struct Counters(double Task, double Script, double Layout);

    /// <summary>Counts the main thread's busy time while <paramref name="load"/> runs.</summary>
    public static async Task<(T Result, MainThreadTime Busy)> MeasureAsync<T>(IPage page, Func<Task<T>> load)
    {
        var session = await page.Context.NewCDPSessionAsync(page);
        try
        {
            await session.SendAsync("Performance.enable");
            var before = await ReadAsync(session);
            var result = await load();
            var after = await ReadAsync(session);

            // A navigation to a new document may start the counters again; then all is this load's.
            static double Spent(double from, double to) => to >= from ? to - from : to;
            return (result, new MainThreadTime(Spent(before.Task, after.Task) * 1000, Spent(before.Script, after.Script) * 1000, Spent(before.Layout, after.Layout) * 1000));
        }
        finally
        {
            await session.DetachAsync();
        }
    }

    /// <summary>The median of each figure over several loads.</summary>
    public static MainThreadTime Median(IReadOnlyList<MainThreadTime> loads)
    {
        static double Of(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        return new MainThreadTime(Of(loads.Select(l => l.Task)), Of(loads.Select(l => l.Script)), Of(loads.Select(l => l.Layout)));
    }

    // Seconds; layout here is layout plus style recalculation.
    private static async Task<Counters> ReadAsync(ICDPSession session)
    {
        var answer = await session.SendAsync("Performance.getMetrics") ?? throw new InvalidOperationException("chromium returned no performance metrics.");
        var metrics = answer.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble(), StringComparer.Ordinal);
        double Of(string name) => metrics.TryGetValue(name, out var value) ? value : 0;
        return new Counters(Of("TaskDuration"), Of("ScriptDuration"), Of("LayoutDuration") + Of("RecalcStyleDuration"));
    }
}
