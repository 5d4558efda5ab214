using System.Net;
using System.Text.Json;

namespace Sluice.Server.Tests;

/// <summary>
/// <c>/health</c> on a project with nothing to serve yet, on a clock the test moves, and the
/// API's root listing its entry points.
/// </summary>
public sealed class HealthAndIndexTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-health-").FullName;
    private readonly MovableClock _clock = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private SluiceServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "sluice.yml"), "name: health\n");
        _server = await SluiceServer.StartAsync(ServedProject.Parse(_directory), new ServeSettings(Port: 0) { Clock = _clock, Version = "9.8.7+abc" });
        _client = new HttpClient { BaseAddress = _server.Address };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Uptime_counts_from_the_servers_start_not_from_the_first_request()
    {
        _clock.Advance(TimeSpan.FromSeconds(90));
        var first = await GetAsync("/health");
        _clock.Advance(TimeSpan.FromSeconds(30));
        var second = await GetAsync("/health");

        Assert.Equal(90, first.GetProperty("uptime_seconds").GetInt64());
        Assert.Equal(120, second.GetProperty("uptime_seconds").GetInt64());
        Assert.Equal("9.8.7+abc", first.GetProperty("version").GetString());
    }

    [Fact]
    public async Task The_api_root_lists_its_entry_points_and_a_wrong_path_points_there()
    {
        var index = await GetAsync("/api/v1");

        var entries = index.GetProperty("entry_points").EnumerateArray()
            .Select(e => $"{e.GetProperty("method").GetString()} {e.GetProperty("path").GetString()}")
            .ToList();
        Assert.Contains("GET /api/v1/metrics", entries);
        Assert.Contains("GET /api/v1/metrics/{name}/trend", entries);
        Assert.Contains("GET /api/v1/runs", entries);
        Assert.All(entries, e => Assert.Contains(" /api/v1/", e, StringComparison.Ordinal));
        Assert.Equal("/openapi/v1.json", index.GetProperty("open_api").GetString());

        using var missing = await _client.GetAsync("/api/v2/metrics");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("GET /api/v1 lists its entry points", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private sealed class MovableClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
