using System.Diagnostics;
using Microsoft.Playwright;

namespace Sluice.Bench;

/// <summary>
/// The limit a dashboard load is held to: a tiny static page from the same server (the app's
/// icon, see <see cref="ServedDashboard.BlankPage"/>) that then fetches the panels' answers all
/// at once and parses them, with no app code, charts or layout. 1.00x means the dashboard page
/// adds nothing beyond its API answers.
/// </summary>
internal static class LimitLoad
{
    // Statuses come back so that a failing request cannot pass as a fast one.
    private const string FetchAll = """
        async urls => Promise.all(urls.map(async url => {
          const response = await fetch(url, { headers: { Accept: 'application/json' } });
          await response.json();
          return response.status;
        }))
        """;

    public static async Task<TimeSpan> RunAsync(IPage page, string blank, IReadOnlyList<string> urls)
    {
        var clock = Stopwatch.StartNew();
        var document = await page.GotoAsync(blank, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
        if (document is { Status: not 200 })
        {
            throw new InvalidOperationException($"The limit's blank page {blank} answered {document.Status}.");
        }

        var statuses = await page.EvaluateAsync<int[]>(FetchAll, urls);
        var time = clock.Elapsed;
        var failed = urls.Zip(statuses).Where(p => p.Second != 200).ToList();
        return failed.Count == 0
            ? time
            : throw new InvalidOperationException("The limit's requests failed: " + string.Join("; ", failed.Select(f => $"{f.First} answered {f.Second}")));
    }
}
