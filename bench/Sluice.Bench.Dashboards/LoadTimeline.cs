using Microsoft.Playwright;

namespace Sluice.Bench;

/// <summary>
/// Where one load's time went, in milliseconds from the navigation's start as the browser's own
/// timing APIs (Navigation and Resource Timing) record it: the document, the app's script, the
/// dashboard's definition, the panels' answers, and the frame at which every panel was drawn.
/// </summary>
internal sealed record LoadTimeline(double Document, double Script, double Started, double Definition, double FirstPanelRequest, double LastPanelAnswer, double Rendered)
{
    /// <summary>Set on the page by the rendered check when it first holds, on the frame it held.</summary>
    public const string RenderedMark = "window.__benchRendered = performance.now()";

    // Resource entries of the API, the app's script and the definition; "started" is the first
    // request of the app itself (the dashboards list and the definition go out together).
    private const string Read = """
        () => {
          const nav = performance.getEntriesByType('navigation')[0];
          const all = performance.getEntriesByType('resource');
          const path = e => new URL(e.name).pathname;
          const api = all.filter(e => path(e).startsWith('/api/'));
          const panels = api.filter(e => path(e).startsWith('/api/v1/metrics/'));
          const definition = api.filter(e => /^\/api\/v1\/dashboards\/./.test(path(e)));
          const end = list => list.length ? Math.max(...list.map(e => e.responseEnd)) : -1;
          const start = list => list.length ? Math.min(...list.map(e => e.startTime)) : -1;
          return [nav.responseEnd, end(all.filter(e => path(e).endsWith('.js'))), start(api), end(definition),
                  start(panels), end(panels), window.__benchRendered ?? -1];
        }
        """;

    public static async Task<LoadTimeline> ReadAsync(IPage page)
    {
        var t = await page.EvaluateAsync<double[]>(Read);
        return new LoadTimeline(t[0], t[1], t[2], t[3], t[4], t[5], t[6]);
    }

    /// <summary>The median of each phase over several loads.</summary>
    public static LoadTimeline Median(IReadOnlyList<LoadTimeline> loads)
    {
        static double Of(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        return new LoadTimeline(
            Of(loads.Select(l => l.Document)), Of(loads.Select(l => l.Script)), Of(loads.Select(l => l.Started)), Of(loads.Select(l => l.Definition)),
            Of(loads.Select(l => l.FirstPanelRequest)), Of(loads.Select(l => l.LastPanelAnswer)), Of(loads.Select(l => l.Rendered)));
    }
}
