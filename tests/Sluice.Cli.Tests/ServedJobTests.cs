using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Sluice.Cli.Tests;

/// <summary>
/// Pipeline commands against a DuckDB project that `sluice serve` holds are run by the server
/// (POST /api/v1/jobs); other commands stop naming the server. Real processes, real HTTP.
/// </summary>
public sealed class ServedJobTests : IDisposable
{
    private const string AdminKey = "sk-ops-5c0f9e1d2b7a4e36";
    private const string TenantKey = "sk-acme-81d2e9c4f0a7b563";
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Build_is_run_by_the_server_and_its_answers_change_and_query_names_the_server()
    {
        var directory = await ProjectAsync(keys: false);
        Assert.Equal(0, (await SluiceProcess.RunAsync(directory, "build")).ExitCode);
        await using var server = await ServeAsync(directory);
        using var client = new HttpClient { BaseAddress = server.Url };
        Assert.Equal(3, await TotalAsync(client));

        var build = await SluiceProcess.RunAsync(directory, "build", "--vars", "{n: 5}");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains($"served by sluice serve (pid {server.ProcessId}, {server.Url.ToString().TrimEnd('/')})", build.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 succeeded", build.Stderr, StringComparison.Ordinal);
        Assert.Equal(5, await TotalAsync(client));

        var failed = await SluiceProcess.RunAsync(directory, "build", "--select", "missing");
        Assert.Equal(2, failed.ExitCode);
        Assert.Contains("'missing' matches no model", failed.Stderr, StringComparison.Ordinal);

        var query = await SluiceProcess.RunAsync(directory, "query", "select 1");
        Assert.Equal(1, query.ExitCode);
        Assert.Contains($"warehouse.duckdb is held by sluice serve (pid {server.ProcessId}", query.Stderr, StringComparison.Ordinal);

        var jobs = JsonDocument.Parse(await client.GetStringAsync("/api/v1/jobs")).RootElement;
        Assert.Equal(["FAILED", "SUCCEEDED"], jobs.EnumerateArray().Select(j => j.GetProperty("state").GetString()));
        Assert.Equal(["--vars", "{n: 5}"], jobs[1].GetProperty("arguments").EnumerateArray().Select(a => a.GetString()));
        var one = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/jobs/{jobs[1].GetProperty("id").GetString()}")).RootElement;
        Assert.Equal(0, one.GetProperty("exit_code").GetInt32());

        using var bad = await client.PostAsJsonAsync("/api/v1/jobs", new { command = "query", arguments = new[] { "drop table events" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("command", JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("parameter").GetString());
        using var elsewhere = await client.PostAsJsonAsync("/api/v1/jobs", new { command = "build", arguments = new[] { "--project-dir", "/" } });
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        using var queued = await client.PostAsJsonAsync("/api/v1/jobs", new { command = "build" });
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.StartsWith("/api/v1/jobs/", queued.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var unknown = await client.GetAsync("/api/v1/jobs/nope");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        await server.StopAsync();
        Assert.False(File.Exists(Path.Combine(directory, "warehouse.duckdb.serving")));
        var local = await SluiceProcess.RunAsync(directory, "build");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.DoesNotContain("served by", local.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stalled_request_holds_the_stop_only_for_the_drain_and_the_announcement_is_withdrawn()
    {
        var directory = await ProjectAsync(keys: false);
        Assert.Equal(0, (await SluiceProcess.RunAsync(directory, "build")).ExitCode);
        await using var server = await ServeAsync(directory);

        // A client that sends a job's headers and never its body would keep the server stopping
        // for as long as it likes: the server waits for requests in flight for a few seconds
        // only, then closes their connections and stops, within the grace the command line gives
        // it after SIGTERM. "100 Continue" says the server has begun reading the body: the
        // request is in flight when SIGTERM is sent.
        using var stalled = new TcpClient();
        await stalled.ConnectAsync(IPAddress.Loopback, server.Url.Port);
        var stream = stalled.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n"));
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            var buffer = new byte[256];
            var read = await stream.ReadAsync(buffer, deadline.Token);
            Assert.StartsWith("HTTP/1.1 100 Continue", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes("{\"command\":"));
        await server.StopAsync();

        Assert.False(File.Exists(Path.Combine(directory, "warehouse.duckdb.serving")), $"the announcement outlived the server (exit code {server.ExitCode}): {await server.Errors}");
        Assert.True(server.ExitCode == 0, $"the stop did not end on its own (exit code {server.ExitCode}): {await server.Errors}");
    }

    [Fact]
    public async Task With_keys_a_job_needs_an_admin_key_from_the_environment()
    {
        var directory = await ProjectAsync(keys: true);
        Assert.Equal(0, (await SluiceProcess.RunAsync(directory, "build")).ExitCode);
        await using var server = await ServeAsync(directory);

        var without = await SluiceProcess.RunAsync(directory, "build");
        Assert.Equal(1, without.ExitCode);
        Assert.Contains("set SLUICE_API_KEY to an admin key", without.Stderr, StringComparison.Ordinal);
        var tenant = await SluiceProcess.RunAsync(directory, ["build"], null, new Dictionary<string, string?> { ["SLUICE_API_KEY"] = TenantKey });
        Assert.Equal(1, tenant.ExitCode);
        Assert.Contains("the key given is a tenant's", tenant.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(TenantKey, tenant.Stderr + tenant.Stdout, StringComparison.Ordinal);

        var admin = await SluiceProcess.RunAsync(directory, ["build", "--vars", "{n: 4}"], null, new Dictionary<string, string?> { ["SLUICE_API_KEY"] = AdminKey });
        Assert.True(admin.ExitCode == 0, admin.ToString());
        using var client = new HttpClient { BaseAddress = server.Url };
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        Assert.Equal(4, await TotalAsync(client));
        using (var traced = new HttpRequestMessage(HttpMethod.Get, "/api/v1/metrics/score/trend?from=2026-01-01&to=2026-01-31"))
        {
            traced.Headers.Add("X-Request-Id", "trace-7.log");
            using var answer = await client.SendAsync(traced);
            Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        }

        // The request log: a JSON line per request, with its id, method, route, status and
        // duration, naming the key but never holding one.
        await server.StopAsync();
        var log = await server.Errors;
        Assert.DoesNotContain(AdminKey, log, StringComparison.Ordinal);
        Assert.DoesNotContain(TenantKey, log, StringComparison.Ordinal);
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var line = Assert.Single(lines, l => l.GetProperty("State").TryGetProperty("RequestId", out var id) && id.GetString() == "trace-7.log");
        var state = line.GetProperty("State");
        Assert.Equal(("GET", "/api/v1/metrics/{name}/trend", 200, "ops"), (state.GetProperty("Method").GetString(), state.GetProperty("Route").GetString(), state.GetProperty("Status").GetInt32(), state.GetProperty("Caller").GetString()));
        Assert.InRange(state.GetProperty("DurationMs").GetDouble(), 0, 60_000);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line.GetProperty("Timestamp").GetString());
    }

    public void Dispose() => _temp.Dispose();

    private async Task<string> ProjectAsync(bool keys)
    {
        var directory = _temp.Combine(keys ? "keyed" : "open");
        Directory.CreateDirectory(Path.Combine(directory, "models"));
        var keysYaml = keys
            ? $"""
              serve:
                api_keys:
                  - {"{"}name: ops, sha256: {Hash(AdminKey)}, admin: true{"}"}
                  - {"{"}name: acme, sha256: {Hash(TenantKey)}, tenant: "1"{"}"}
              """
            : string.Empty;
        await File.WriteAllTextAsync(Path.Combine(directory, "sluice.yml"), $"name: served\nwarehouse:\n  type: duckdb\n  path: warehouse.duckdb\n{keysYaml}\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "models", "events.sql"),
            "{{ config(materialized='table') }}\nselect id, 1 as company_id, timestamp '2026-01-01' + to_days(id::integer) as at, 1.0 * id as score from range({{ var('n', 3) }}) t(id)\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "metrics.yml"),
            $"{(keys ? "tenant: {column: company_id}\n" : string.Empty)}metrics:\n  - name: score\n    model: events\n    time: at\n    measure: {{agg: avg, expr: score}}\n");
        return directory;
    }

    private static string Hash(string key) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    // Rows behind the trend of January 2026: the events the last build made.
    private static async Task<long> TotalAsync(HttpClient client)
    {
        var trend = JsonDocument.Parse(await client.GetStringAsync("/api/v1/metrics/score/trend?from=2026-01-01&to=2026-01-31")).RootElement;
        return trend.GetProperty("periods").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64());
    }

    private static Task<ServedProcess> ServeAsync(string directory) =>
        ServedProcess.StartAsync(directory, ["serve"], Path.Combine(directory, "warehouse.duckdb.serving"));
}
