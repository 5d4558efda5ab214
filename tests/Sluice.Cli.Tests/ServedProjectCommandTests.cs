using System.Text.Json;

namespace Sluice.Cli.Tests;

/// <summary>
/// Commands that open the DuckDB file themselves (status, parity, debug, serve) against a project
/// that `sluice serve` holds: each stops at once with one line naming the server, and the server
/// and its file are as they were.
/// </summary>
public sealed class ServedProjectCommandTests : IDisposable
{
    private readonly ServedJobProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Status_parity_debug_and_a_second_serve_stop_naming_the_server_and_leave_it_serving()
    {
        await _project.RunOkAsync("build", "--select", "events");
        await using var server = await _project.ServeAsync();
        using var client = new HttpClient { BaseAddress = server.Url };
        var url = server.Url.ToString().TrimEnd('/');
        var holder = $"sluice serve (pid {server.ProcessId}, {url})";
        var announcement = await File.ReadAllTextAsync(_project.Announcement);

        foreach (var verb in new[] { "status", "parity", "debug" })
        {
            var refused = await _project.RunAsync(verb);
            Assert.True(refused.ExitCode == 1, $"sluice {verb}: {refused}");
            Assert.Equal(
                $"error: warehouse.duckdb is held by {holder}, which owns the DuckDB file while it runs; stop it to run `sluice {verb}`, or use its API (GET {url}/api/v1/status).\n",
                refused.Stderr);
            Assert.Equal(string.Empty, refused.Stdout);
        }

        var second = await _project.RunAsync("serve", "--port", "0");
        Assert.True(second.ExitCode == 1, $"the second sluice serve: {second}");
        Assert.Equal($"error: warehouse.duckdb is already served by {holder}; stop it first, or use its API.\n", second.Stderr);
        Assert.Equal(announcement, await File.ReadAllTextAsync(_project.Announcement));

        // The server still reads and writes the file: its pipeline state, and a build it runs.
        var status = JsonDocument.Parse(await client.GetStringAsync("/api/v1/status")).RootElement;
        Assert.Equal(JsonValueKind.Object, status.ValueKind);
        var build = await _project.RunAsync("build", "--select", "events", "--vars", "{n: 5}");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.StartsWith($"warehouse.duckdb is served by {holder}; running `sluice build` there.", build.Stderr, StringComparison.Ordinal);
        var trend = JsonDocument.Parse(await client.GetStringAsync("/api/v1/metrics/score/trend?from=2026-01-01&to=2026-01-31")).RootElement;
        Assert.Equal(5, trend.GetProperty("periods").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));

        await server.StopAsync();
        Assert.Equal(0, server.ExitCode);
        Assert.False(File.Exists(_project.Announcement));
        var local = await _project.RunAsync("status");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Contains("events", local.Stdout, StringComparison.Ordinal);
    }
}
