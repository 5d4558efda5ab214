using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace Sluice.Bench;

/// <summary>One load of the dashboard page: how long it took, and what the page asked the server for.</summary>
internal sealed record DashboardLoadResult(TimeSpan Time, IReadOnlyList<string> ApiRequests, IReadOnlyList<string> Assets, LoadTimeline Timeline, MainThreadTime Busy);

/// <summary>
/// Times "fully rendered from navigation": from the start of the navigation until the page's test
/// hook says it has settled (no request in flight) and every panel element is ready or empty.
/// A panel in error fails the benchmark: a fast page that shows errors measures nothing.
/// </summary>
internal static class DashboardLoad
{
    // Polled on animation frames (Playwright's default), so the time ends at a frame the browser
    // could paint with every panel drawn.
    private const string Rendered = $$"""
        () => {
          const hook = window.__sluice;
          const panels = [...document.querySelectorAll('[data-panel-id]')];
          const done = !!hook && hook.settled === true && panels.length > 0
            && panels.every(p => ['ready', 'empty', 'error'].includes(p.dataset.state));
          if (done) { {{LoadTimeline.RenderedMark}}; }
          return done;
        }
        """;

    private const string States = "() => [...document.querySelectorAll('[data-panel-id]')].map(p => [p.dataset.panelId, p.dataset.state, (window.__sluice.panels[p.dataset.panelId] || {}).error || ''])";

    public static async Task<DashboardLoadResult> RunAsync(IPage page, string url, int panelCount)
    {
        var api = new List<string>();
        var assets = new List<string>();
        void Requested(object? sender, IRequest request)
        {
            var path = new Uri(request.Url).PathAndQuery;
            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                api.Add(path);
            }
            else if (request.ResourceType is "script" or "stylesheet")
            {
                assets.Add(path);
            }
        }

        page.Request += Requested;
        try
        {
            var ((time, timeline), busy) = await MainThreadTime.MeasureAsync(page, async () =>
            {
                var clock = Stopwatch.StartNew();
                await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
                await page.WaitForFunctionAsync(Rendered, null, new PageWaitForFunctionOptions { Timeout = 60_000 });
                var time = clock.Elapsed;
                return (time, await LoadTimeline.ReadAsync(page));
            });
            await CheckPanelsAsync(page, url, panelCount);
            return new DashboardLoadResult(time, api, assets, timeline, busy);
        }
        finally
        {
            page.Request -= Requested;
        }
    }

    private static async Task CheckPanelsAsync(IPage page, string url, int panelCount)
    {
        var states = await page.EvaluateAsync<JsonElement>(States);
        var panels = states.EnumerateArray().Select(s => (Id: s[0].GetString(), State: s[1].GetString(), Error: s[2].GetString())).ToList();
        var failed = panels.Where(p => p.State is not ("ready" or "empty")).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException(
                $"{url}: {failed.Count} panel(s) did not render: " + string.Join("; ", failed.Select(p => $"{p.Id} is {p.State}: {p.Error}")));
        }

        if (panels.Count < panelCount)
        {
            throw new InvalidOperationException($"{url}: the page shows {panels.Count} panels; the dashboard's definition has {panelCount} that query the API.");
        }
    }
}
