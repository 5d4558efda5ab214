using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sluice.Bench;

/// <summary>The answer cache's counters over every endpoint, from <c>/api/v1/server</c>.</summary>
internal readonly record struct CacheCounts(long Hits, long Misses);

/// <summary>
/// The demo project served by <c>sluice serve</c> (a child process), ready to answer, with the
/// dashboard's definition and the panels' requests read from its API as the page reads them.
/// </summary>
internal sealed partial class ServedDashboard : IAsyncDisposable
{
    private readonly ServeProcess _server;
    private readonly HttpClient _client;

    private ServedDashboard(ServeProcess server, HttpClient client, string name, IReadOnlyList<PanelRequest> panels, int rangeDays, string blankPage)
    {
        (_server, _client, Name, Panels, RangeDays, BlankPage) = (server, client, name, panels, rangeDays, blankPage);
    }

    public Uri Address => _server.Address;

    public string Name { get; }

    /// <summary>The panels that query the API, in the definition's order.</summary>
    public IReadOnlyList<PanelRequest> Panels { get; }

    /// <summary>The dashboard's default range, in days.</summary>
    public int RangeDays { get; }

    /// <summary>
    /// A tiny static document from the same server: the app's icon, an SVG of a few hundred bytes
    /// served by the same static-file path as the app's assets. Same-origin, so a page opened on
    /// it can fetch the API; not under /health, whose requests are rate-limited per client.
    /// </summary>
    public string BlankPage { get; }

    /// <summary>The server's warnings and errors so far.</summary>
    public IReadOnlyList<string> Warnings => _server.Warnings;

    /// <summary>The dashboard page over a custom range, as the page writes it in its URL.</summary>
    public string PageUrl(DayRange range) => $"/dashboards/{Uri.EscapeDataString(Name)}?from={range.FromText}&to={range.ToText}";

    public static async Task<ServedDashboard> StartAsync(string sluiceDll, string projectDirectory, string name)
    {
        var server = await ServeProcess.StartAsync(sluiceDll, projectDirectory);
        var client = new HttpClient { BaseAddress = server.Address };
        try
        {
            await WaitReadyAsync(client);
            using var answer = await client.GetAsync($"/api/v1/dashboards/{Uri.EscapeDataString(name)}");
            var body = await answer.Content.ReadAsStringAsync();
            if (!answer.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"GET /api/v1/dashboards/{name} answered {(int)answer.StatusCode}: {body}");
            }

            using var definition = JsonDocument.Parse(body);
            var panels = PanelRequest.Read(definition.RootElement);
            var page = await client.GetStringAsync($"/dashboards/{Uri.EscapeDataString(name)}");
            var icon = IconLink().Match(page);
            return icon.Success
                ? new ServedDashboard(server, client, name, panels, definition.RootElement.GetProperty("range_days").GetInt32(), icon.Groups[1].Value)
                : throw new InvalidOperationException($"The dashboard page links no icon under /assets/ to use as the limit's blank page:\n{page}");
        }
        catch
        {
            client.Dispose();
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The answer cache's hits and misses so far: a cold load must add misses only.</summary>
    public async Task<CacheCounts> CacheAsync()
    {
        using var stats = JsonDocument.Parse(await _client.GetStringAsync("/api/v1/server"));
        var endpoints = stats.RootElement.GetProperty("cache").EnumerateArray().ToList();
        return new CacheCounts(endpoints.Sum(e => e.GetProperty("hits").GetInt64()), endpoints.Sum(e => e.GetProperty("misses").GetInt64()));
    }

    // Live says the process listens; ready says the warehouse answers and the last build passed.
    private static async Task WaitReadyAsync(HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        var last = string.Empty;
        while (clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            using var ready = await client.GetAsync("/health/ready");
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            last = await ready.Content.ReadAsStringAsync();
            await Task.Delay(100);
        }

        throw new InvalidOperationException($"sluice serve did not become ready within a minute: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [GeneratedRegex("""<link rel="icon"[^>]* href="(/assets/[^"]+)""")]
    private static partial Regex IconLink();
}
