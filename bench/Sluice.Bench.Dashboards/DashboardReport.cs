using System.Globalization;
using System.Text;

namespace Sluice.Bench;

/// <summary>The dashboard benchmark's section of docs/benchmarks.md, with its own date and machine.</summary>
internal sealed record DashboardReport(MachineInfo Machine, DashboardBenchOptions Options, string? LoadAtEnd, DashboardResult Result)
{
    public const string SectionName = "dashboards";

    private static readonly TimeSpan ColdGoal = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CachedGoal = TimeSpan.FromSeconds(1);
    private const long WeightGoal = 400_000;

    public bool ColdPasses => Result.Cold.Median < ColdGoal;

    public bool CachedPasses => Result.Cached.Median < CachedGoal;

    public bool WeightPasses => Result.Weight.Wire < WeightGoal;

    public string Render()
    {
        var r = Result;
        var text = new StringBuilder();
        text.AppendLine("## Dashboards");
        text.AppendLine();
        text.AppendLine($"The `{Options.Dashboard}` dashboard of the ApplyLens example as a browser shows it: `sluice serve` as a child process and headless chromium driven through Playwright on the same machine, measured by `bench/Sluice.Bench.Dashboards`. Refresh with `bench/run dashboards`.");
        text.AppendLine();
        ReportHeader.Write(text, Machine, Options.Revision, $"chromium {r.Chromium} (Debian, headless) through Microsoft.Playwright, DuckDB {Machine.DuckDb}, {Machine.DotNet}, {Machine.Build}", "bench/run dashboards", LoadAtEnd, Options.IsDefaultSize);
        text.AppendLine();
        text.AppendLine(
            $"`sluice demo --no-serve --days {Options.Days}` prepared the project ({Format.Seconds(r.Prepare)}), then `sluice serve` served it. The page is `/dashboards/{Options.Dashboard}?from=…&to=…` over a {r.Panels.Count}-panel dashboard, with a custom range of the dashboard's default length. " +
            "**Fully rendered** is the time from the start of the navigation until the page's test hook reports `window.__sluice.settled === true` with every panel's `data-state` ready or empty (checked on animation frames; a panel in error stops the benchmark). " +
            $"**Cold**: a new browser context (empty HTTP cache) and an empty server answer cache — not by restarting the server, but by asking for a range never asked before: each cold load's range ends one day earlier than the previous one, so the server computes every answer (over the {Options.Loads} measured cold loads the answer cache counted {Format.Count(r.ColdCache.Misses)} misses and {Format.Count(r.ColdCache.Hits)} hits; {Repeats(r.FirstCold)}). " +
            "**Cached**: the same URL again in the same context (browser cache warm, server answers cached). " +
            $"**Limit**: in the same run, a tiny static page from the same server (the app's icon `{r.BlankPage}`, an SVG of a few hundred bytes; `/health/live` would do but is rate-limited per client) that then fetches the same {r.Panels.Count} panel requests at once from inside the page (`Promise.all(fetch(…))`, each answer parsed), cold (new context, a new range) and cached (the same again); the ratio is dashboard over limit, 1.00x meaning the page adds nothing beyond its API answers. " +
            $"One warm-up round, then {Options.Loads} measured rounds, each a dashboard pair and a limit pair, alternating which goes first.");
        text.AppendLine();
        text.AppendLine("| Load | Median | Min | Max | Limit median | Limit min | Limit max | Ratio | Goal (median) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        Row(text, "cold", r.Cold, r.LimitCold, r.ColdRatio, ColdGoal, ColdPasses);
        Row(text, "cached", r.Cached, r.LimitCached, r.CachedRatio, CachedGoal, CachedPasses);
        text.AppendLine();
        text.AppendLine("**Where the time goes** (medians of the measured loads, in ms from the navigation's start, from the browser's Navigation and Resource Timing): the document answered; the app's script loaded; the app's first API request (the dashboard list and definition); the definition answered; the first panel request; the last panel answer; every panel drawn. Then how long the page's main thread was busy during the load (chromium's `TaskDuration`), and of that, running script and doing layout and style.");
        text.AppendLine();
        text.AppendLine("| Load | Document | Script | First API request | Definition | First panel request | Last panel answer | Rendered | Main thread busy | Script | Layout + style |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        Phases(text, "cold", r.ColdTimeline, r.ColdBusy);
        Phases(text, "cached", r.CachedTimeline, r.CachedBusy);
        text.AppendLine();
        text.AppendLine("**Page weight**: the scripts and style sheets the page loads, each asked for with `Accept-Encoding: gzip` (body bytes as sent) and with no encoding (1 KB = 1,000 bytes).");
        text.AppendLine();
        text.AppendLine("| Asset | Sent (gzip) | Uncompressed | Goal |");
        text.AppendLine("|---|---|---|---|");
        foreach (var asset in r.Weight.Assets)
        {
            text.AppendLine($"| `{asset.Path}` | {Kb(asset.Wire)}{(asset.Encoding is null ? " (not compressed)" : string.Empty)} | {Kb(asset.Uncompressed)} | |");
        }

        text.AppendLine($"| **JS + CSS** | **{Kb(r.Weight.Wire)}** | **{Kb(r.Weight.Uncompressed)}** | < {Kb(WeightGoal)} gzip: {Format.Verdict(WeightPasses)} |");
        text.AppendLine();
        text.AppendLine($"Requests: a cold load asked the API {r.FirstCold.ApiRequests.Count} times and a cached one {r.FirstCached.ApiRequests.Count} times (round 0):");
        text.AppendLine();
        foreach (var request in r.FirstCold.ApiRequests)
        {
            text.AppendLine($"- `{request}`");
        }

        text.AppendLine();
        text.AppendLine($"The limit's {r.ExampleLimitUrls.Count} requests (round 0's range), one per panel as the dashboard's definition spells it out:");
        text.AppendLine();
        foreach (var url in r.ExampleLimitUrls)
        {
            text.AppendLine($"- `{url}`");
        }

        text.AppendLine();
        text.AppendLine(r.Warnings.Count == 0 ? "The server logged no warning or error during the run." : $"**The server logged {r.Warnings.Count} warning(s) or error(s)**, the first: `{r.Warnings[0]}`");
        return text.ToString();
    }

    private static void Row(StringBuilder text, string name, Samples page, Samples limit, double ratio, TimeSpan goal, bool passes) =>
        text.AppendLine(
            $"| {name} | {DashboardBenchmark.Ms(page.Median)} | {DashboardBenchmark.Ms(page.Best)} | {DashboardBenchmark.Ms(page.Runs.Max())} " +
            $"| {DashboardBenchmark.Ms(limit.Median)} | {DashboardBenchmark.Ms(limit.Best)} | {DashboardBenchmark.Ms(limit.Runs.Max())} " +
            $"| {Format.Ratio(ratio)} | < {goal.TotalSeconds:0} s: {Format.Verdict(passes)} |");

    private static void Phases(StringBuilder text, string name, LoadTimeline t, MainThreadTime busy) =>
        text.AppendLine(
            $"| {name} | {Ms(t.Document)} | {Ms(t.Script)} | {Ms(t.Started)} | {Ms(t.Definition)} | {Ms(t.FirstPanelRequest)} | {Ms(t.LastPanelAnswer)} | {Ms(t.Rendered)} " +
            $"| {Ms(busy.Task)} | {Ms(busy.Script)} | {Ms(busy.Layout)} |");

    // A hit in a cold load can only be a URL the page asks for again within the same load.
    private static string Repeats(DashboardLoadResult load)
    {
        var repeated = load.ApiRequests.Count - load.ApiRequests.Distinct(StringComparer.Ordinal).Count();
        return repeated == 0 ? "the page asked for no URL twice in a load" : $"the page asked for {repeated} URL(s) twice in one load, the second time answered from the cache";
    }

    private static string Ms(double milliseconds) => milliseconds.ToString("0", CultureInfo.InvariantCulture);

    private static string Kb(long bytes) => (bytes / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB";
}
