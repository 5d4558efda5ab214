using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Sluice.Bench;

/// <summary>The answer cache's counters, from <c>/health/cache</c>.</summary>
internal readonly record struct CacheCounts(long Hits, long Misses);

/// <summary>
/// The demo project served by <c>sluice serve</c> (a child process), ready to answer, with the
/// dashboard's definition and the panels' requests read from its API as the page reads them.
/// </summary>
internal sealed class ServedDashboard : IAsyncDisposable
{
    private readonly ServeProcess _server;
    private readonly HttpClient _client;

    private ServedDashboard(ServeProcess server, HttpClient client, string name, IReadOnlyList<PanelRequest> panels, int rangeDays)
    {
        (_server, _client, Name, Panels, RangeDays) = (server, client, name, panels, rangeDays);
    }

    public Uri Address => _server.Address;

    public string Name { get; }

    /// <summary>The panels that query the API, in the definition's order.</summary>
    public IReadOnlyList<PanelRequest> Panels { get; }

    /// <summary>The dashboard's default range, in days.</summary>
    public int RangeDays { get; }

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
            return new ServedDashboard(server, client, name, panels, definition.RootElement.GetProperty("range_days").GetInt32());
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
        using var stats = JsonDocument.Parse(await _client.GetStringAsync("/health/cache"));
        return new CacheCounts(stats.RootElement.GetProperty("hits").GetInt64(), stats.RootElement.GetProperty("misses").GetInt64());
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
}
