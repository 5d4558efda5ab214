using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sluice.Server.Access;

namespace Sluice.Server.Tests;

/// <summary>
/// The server's log never holds a query string's values — a client may put a token, a patient id
/// or any other secret there — while each request's line still names its path, route and id.
/// Requests of every outcome (answered, refused by the API, by the keys, by the rate limit and
/// by the HTTP server itself) each carry distinctive values; the log is read as written.
/// </summary>
public sealed class RequestLogTests(DuckDbPreparedProject project) : IClassFixture<DuckDbPreparedProject>
{
    private const string RequestLogCategory = "Sluice.Server.Observability.RequestLog";

    private sealed record Probe(HttpMethod Method, string Path, string Query, string? Key, HttpStatusCode Expected, bool RefusedByHttpServer = false)
    {
        public string Target => $"{Path}?{Query}";
    }

    [Fact]
    public async Task Request_log_lines_name_the_path_and_never_a_query_value()
    {
        // Values no other part of a request or response holds, each in one query string.
        var values = Enumerable.Range(1, 12).Select(i => $"qsv{i}-8d2e41c7").ToArray();
        var token = "sk-live-51Hc9QmTokenInQuery0xF3";
        Probe[] probes =
        [
            new(HttpMethod.Get, "/api/v1/metrics/outcome_score/trend", $"from=2025-01-01&to=2025-01-31&filter[program]={values[0]}&filter[dimension]={values[1]}", "ops", HttpStatusCode.OK),
            new(HttpMethod.Get, "/api/v1/models/fct_appointments/rows", $"patient_id={values[2]}&limit=5", "acme", HttpStatusCode.OK),
            new(HttpMethod.Get, "/api/v1/metrics/outcome_score/trend", $"from={values[3]}", "ops", HttpStatusCode.BadRequest),
            new(HttpMethod.Get, "/api/v1/runs", $"access_token={token}", "ops", HttpStatusCode.BadRequest),
            new(HttpMethod.Get, "/api/v1/metrics", $"api_key={values[4]}", null, HttpStatusCode.Unauthorized),
            new(HttpMethod.Get, "/api/v1/checks", $"check={values[5]}", "acme", HttpStatusCode.Forbidden),
            new(HttpMethod.Get, "/nothing/here", $"token={values[6]}", "ops", HttpStatusCode.NotFound),
            new(HttpMethod.Post, "/api/v1/metrics", $"token={values[7]}", "ops", HttpStatusCode.MethodNotAllowed),
            new(HttpMethod.Get, "/api/v1/metrics", $"page={values[8]}", "slow", HttpStatusCode.BadRequest),
            new(HttpMethod.Get, "/api/v1/metrics", $"page={values[9]}", "slow", HttpStatusCode.TooManyRequests),
            new(HttpMethod.Get, "/health/ready", $"probe={values[10]}", null, HttpStatusCode.OK),
            new(HttpMethod.Get, "/api/v1/metrics", $"session={values[11]}", "ops", HttpStatusCode.RequestHeaderFieldsTooLarge, RefusedByHttpServer: true),
        ];

        var log = new RecordedLog();
        var settings = new ServeSettings(Port: 0)
        {
            ApiKeys = [PreparedProject.Key("ops", null), PreparedProject.Key("acme", "acme"), PreparedProject.Key("slow", "globex", rate: new KeyRate(1, 1))],

            // Stands still, so that "slow" has spent its one token when its second request arrives.
            Clock = new ManualClock(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero)),
        };
        var answers = new List<(Probe Probe, string RequestId, string Body)>();
        await using (var server = await SluiceServer.StartAsync(ServedProject.Parse(project.ProjectDirectory), settings, log.AddTo))
        {
            foreach (var probe in probes)
            {
                using var client = PreparedProject.Client(server, probe.Key);
                using var request = new HttpRequestMessage(probe.Method, probe.Target);
                if (probe.RefusedByHttpServer)
                {
                    // Past Kestrel's limit on headers: refused before any of the API runs.
                    request.Headers.Add("X-Padding", new string('p', 300_000));
                }

                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == probe.Expected, $"{probe.Method} {probe.Target}: {(int)response.StatusCode} {body}");
                answers.Add((probe, response.Headers.GetValues("X-Request-Id").Single(), body));
            }
        }

        // The values did reach the server: it quotes a bad one back to the client.
        Assert.Contains(values[3], JsonDocument.Parse(answers[2].Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var entries = log.Entries;
        foreach (var (probe, id, _) in answers)
        {
            if (probe.RefusedByHttpServer)
            {
                Assert.Contains(entries, e => e.Values.GetValueOrDefault("RequestId") == id);
                continue;
            }

            var line = Assert.Single(entries, e => e.Category == RequestLogCategory && e.Values.GetValueOrDefault("RequestId") == id);
            Assert.Equal(LogLevel.Information, line.Level);
            Assert.Equal(probe.Path, line.Values["Path"]);
            Assert.Equal(((int)probe.Expected).ToString(System.Globalization.CultureInfo.InvariantCulture), line.Values["Status"]);
            Assert.Contains($"({probe.Path})", line.Message, StringComparison.Ordinal);
        }

        foreach (var entry in entries)
        {
            foreach (var value in values.Append(token))
            {
                Assert.False(entry.AllText.Contains(value, StringComparison.OrdinalIgnoreCase), $"The log holds the query value '{value}': {entry.Category} {entry.AllText}");
            }

            Assert.DoesNotContain("?", entry.Values.GetValueOrDefault("Path") ?? string.Empty, StringComparison.Ordinal);
        }
    }
}
