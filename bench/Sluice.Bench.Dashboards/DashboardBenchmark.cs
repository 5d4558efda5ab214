using Microsoft.Playwright;

namespace Sluice.Bench;

/// <summary>What the dashboard benchmark measured.</summary>
internal sealed record DashboardResult(
    TimeSpan Prepare,
    string Chromium,
    IReadOnlyList<PanelRequest> Panels,
    DashboardLoadResult FirstCold,
    DashboardLoadResult FirstCached,
    Samples Cold,
    Samples Cached,
    Samples LimitCold,
    Samples LimitCached,
    CacheCounts ColdCache,
    PageWeight Weight,
    string BlankPage,
    IReadOnlyList<string> ExampleLimitUrls,
    LoadTimeline ColdTimeline,
    LoadTimeline CachedTimeline,
    MainThreadTime ColdBusy,
    MainThreadTime CachedBusy,
    IReadOnlyList<string> Warnings)
{
    public double ColdRatio => Cold.Median / LimitCold.Median;

    public double CachedRatio => Cached.Median / LimitCached.Median;
}

/// <summary>
/// Loads the served dashboard in headless chromium, cold and cached, each round next to its
/// limit (a blank page fetching the same panel answers), alternating which goes first so that
/// a change in the machine's load falls on both. Round 0 warms the server, the browser and the
/// machine's caches and is not counted.
/// </summary>
internal static class DashboardBenchmark
{
    public static async Task<DashboardResult> RunAsync(ServedDashboard served, HeadlessChromium chromium, DashboardBenchOptions options, TimeSpan prepare)
    {
        var windows = new DayWindows(DemoProject.LastDay, served.RangeDays);
        var (cold, cached, limitCold, limitCached) = (new Samples(), new Samples(), new Samples(), new Samples());
        var coldCache = new CacheCounts(0, 0);
        var (coldTimes, cachedTimes) = (new List<DashboardLoadResult>(), new List<DashboardLoadResult>());
        DashboardLoadResult? firstCold = null, firstCached = null;
        IReadOnlyList<string> exampleUrls = [];
        for (var round = 0; round <= options.Loads; round++)
        {
            (DashboardLoadResult Cold, DashboardLoadResult Cached, CacheCounts Cache) page;
            (TimeSpan Cold, TimeSpan Cached, IReadOnlyList<string> Urls) limit;
            if (round % 2 == 0)
            {
                page = await DashboardTwiceAsync(served, chromium, windows.Next());
                limit = await LimitTwiceAsync(served, chromium, windows.Next());
            }
            else
            {
                limit = await LimitTwiceAsync(served, chromium, windows.Next());
                page = await DashboardTwiceAsync(served, chromium, windows.Next());
            }

            Console.WriteLine(
                $"  round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: cold {Ms(page.Cold.Time)} (limit {Ms(limit.Cold)}), cached {Ms(page.Cached.Time)} (limit {Ms(limit.Cached)}); " +
                $"{page.Cold.ApiRequests.Count} API requests cold, answer cache {page.Cache.Misses} misses and {page.Cache.Hits} hits");
            if (round == 0)
            {
                (firstCold, firstCached, exampleUrls) = (page.Cold, page.Cached, limit.Urls);
                continue;
            }

            cold.Add(page.Cold.Time);
            cached.Add(page.Cached.Time);
            limitCold.Add(limit.Cold);
            limitCached.Add(limit.Cached);
            coldTimes.Add(page.Cold);
            cachedTimes.Add(page.Cached);
            coldCache = new CacheCounts(coldCache.Hits + page.Cache.Hits, coldCache.Misses + page.Cache.Misses);
        }

        var weight = await PageWeight.MeasureAsync(served.Address, firstCold!.Assets);
        return new DashboardResult(prepare, chromium.Version, served.Panels, firstCold, firstCached!, cold, cached, limitCold, limitCached, coldCache, weight, served.BlankPage, exampleUrls,
            LoadTimeline.Median(coldTimes.Select(l => l.Timeline).ToList()), LoadTimeline.Median(cachedTimes.Select(l => l.Timeline).ToList()),
            MainThreadTime.Median(coldTimes.Select(l => l.Busy).ToList()), MainThreadTime.Median(cachedTimes.Select(l => l.Busy).ToList()), [.. served.Warnings]);
    }

    public static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " ms";

    // A new context (empty HTTP cache) over a range never asked for (empty answer cache), then
    // the same URL again in the same context.
    private static async Task<(DashboardLoadResult Cold, DashboardLoadResult Cached, CacheCounts Cache)> DashboardTwiceAsync(ServedDashboard served, HeadlessChromium chromium, DayRange range)
    {
        await using var context = await chromium.NewContextAsync(served.Address);
        var page = await context.NewPageAsync();
        var url = served.PageUrl(range);
        var before = await served.CacheAsync();
        var cold = await DashboardLoad.RunAsync(page, url, served.Panels.Count);
        var after = await served.CacheAsync();
        var cached = await DashboardLoad.RunAsync(page, url, served.Panels.Count);
        return (cold, cached, new CacheCounts(after.Hits - before.Hits, after.Misses - before.Misses));
    }

    private static async Task<(TimeSpan Cold, TimeSpan Cached, IReadOnlyList<string> Urls)> LimitTwiceAsync(ServedDashboard served, HeadlessChromium chromium, DayRange range)
    {
        var urls = served.Panels.Select(p => p.Url(range)).ToList();
        await using var context = await chromium.NewContextAsync(served.Address);
        IPage page = await context.NewPageAsync();
        var cold = await LimitLoad.RunAsync(page, served.BlankPage, urls);
        var cached = await LimitLoad.RunAsync(page, served.BlankPage, urls);
        return (cold, cached, urls);
    }
}
