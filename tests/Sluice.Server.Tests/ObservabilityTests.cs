using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Sluice.Server.Access;

namespace Sluice.Server.Tests;

/// <summary>Request ids, rate limits and the Prometheus metrics, through real HTTP.</summary>
public sealed class ObservabilityTests(DuckDbPreparedProject project) : IClassFixture<DuckDbPreparedProject>
{
    [Fact]
    public async Task A_request_id_is_taken_from_the_client_or_made_and_comes_back_in_header_and_problem()
    {
        await using var server = await project.StartAsync(new ServeSettings());
        using var client = PreparedProject.Client(server, null);
        using var given = new HttpRequestMessage(HttpMethod.Get, "/api/v1/metrics/nope/trend");
        given.Headers.Add("X-Request-Id", "trace-42.a:b");
        using var response = await client.SendAsync(given);
        Assert.Equal("trace-42.a:b", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("trace-42.a:b", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString());

        using var hostile = new HttpRequestMessage(HttpMethod.Get, "/health");
        hostile.Headers.TryAddWithoutValidation("X-Request-Id", "a b\"<script>" + new string('x', 300));
        using var replaced = await client.SendAsync(hostile);
        Assert.Matches("^[0-9a-f]{32}$", replaced.Headers.GetValues("X-Request-Id").Single());

        using var made = await client.GetAsync("/health/live");
        Assert.Matches("^[0-9a-f]{32}$", made.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task A_keys_rate_and_the_health_limit_refuse_with_retry_after()
    {
        // The server's clock stands still while the requests are sent, however long they take.
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
        var settings = new ServeSettings
        {
            HealthPerMinute = 5,
            ApiKeys = [PreparedProject.Key("slow", "acme", rate: new KeyRate(1, 3)), PreparedProject.Key("fast", "globex")],
            Clock = clock,
        };
        await using var server = await project.StartAsync(settings);
        using var slow = PreparedProject.Client(server, "slow");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await slow.GetAsync("/api/v1/metrics");
            statuses.Add(response.StatusCode);
        }

        // A burst of 3; then a token a second.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 3), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        clock.Advance(TimeSpan.FromMilliseconds(400));
        using var refused = await slow.GetAsync("/api/v1/metrics");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter!.Delta);
        Assert.Contains("'slow'", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Equal(HttpStatusCode.OK, (await slow.GetAsync("/api/v1/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await slow.GetAsync("/api/v1/metrics")).StatusCode);

        // Another key has its own bucket.
        using var fast = PreparedProject.Client(server, "fast");
        Assert.Equal(HttpStatusCode.OK, (await fast.GetAsync("/api/v1/metrics")).StatusCode);

        using var anonymous = PreparedProject.Client(server, null);
        var health = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            health.Add((await anonymous.GetAsync(i % 2 == 0 ? "/health" : "/health/live")).StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], health);
        using var limited = await anonymous.GetAsync("/health/ready");
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
    }

    [Fact]
    public async Task Prometheus_metrics_count_requests_cache_refusals_and_jobs_and_pass_promtool()
    {
        var settings = new ServeSettings
        {
            ApiKeys = [PreparedProject.Key("ops", null), PreparedProject.Key("tiny", "umbrella", new QueryBudget(2, null))],
        };
        await using var server = await project.StartAsync(settings);
        using var admin = PreparedProject.Client(server, "ops");
        const string Trend = "/api/v1/metrics/outcome_score/trend?from=2025-01-01&to=2025-01-31";
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(Trend)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync(Trend + "&granularity=year")).StatusCode);
        using var tiny = PreparedProject.Client(server, "tiny");
        var tinyStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            tinyStatuses.Add((await tiny.GetAsync("/api/v1/metrics")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], tinyStatuses);

        var text = await ScrapeAsync(server, settings);
        Assert.NotNull(text);
        Assert.Equal(3, Sample(text, "sluice_http_requests_total{method=\"GET\",route=\"/api/v1/metrics/{name}/trend\",status=\"200\"}"));
        Assert.Equal(1, Sample(text, "sluice_http_requests_total{method=\"GET\",route=\"/api/v1/metrics/{name}/trend\",status=\"400\"}"));
        Assert.Equal(3, Sample(text, "sluice_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/metrics/{name}/trend\",status=\"200\"}"));
        Assert.Equal(3, Sample(text, "sluice_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/metrics/{name}/trend\",status=\"200\",le=\"+Inf\"}"));
        Assert.Equal(2, Sample(text, "sluice_cache_hits_total{endpoint=\"trend\"}"));
        Assert.Equal(1, Sample(text, "sluice_cache_misses_total{endpoint=\"trend\"}"));
        Assert.Equal(1, Sample(text, "sluice_budget_rejections_total{key=\"tiny\"}"));
        Assert.Equal(1, Sample(text, "sluice_job_runs_total{job=\"fct_outcome_scores\",status=\"SUCCESS\"}"));
        Assert.Equal(1, Sample(text, "sluice_job_duration_seconds_count{job=\"fct_outcome_scores\"}"));
        var lastSuccess = Sample(text, "sluice_job_last_success_timestamp_seconds{job=\"fct_outcome_scores\"}");
        Assert.InRange(lastSuccess, DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);

        var (exit, output) = await PromtoolAsync(text);
        Assert.True(exit == 0, $"promtool check metrics failed: {output}");
    }

    // /metrics with the admin key "ops" when settings has keys; null when it answers without one.
    private static async Task<string?> ScrapeAsync(SluiceServer server, ServeSettings settings)
    {
        using var client = PreparedProject.Client(server, settings.ApiKeys.Count > 0 ? "ops" : null);
        using var response = await client.GetAsync("/metrics");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    private static double Sample(string text, string series)
    {
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no sample {series} in:\n{text}");
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>What <c>promtool check metrics</c> says of <paramref name="text"/>.</summary>
    internal static async Task<(int Exit, string Output)> PromtoolAsync(string text)
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("promtool is not installed; put it in /usr/local/bin (./test.sh copies it there from Debian's prometheus package when run as root).");
        using var process = Process.Start(new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
