using System.Net;
using System.Text;
using System.Text.Json;

namespace Sluice.Server.Tests;

/// <summary>
/// Thousands of requests with random and hostile parameters: SQL injection in every place, huge
/// and negative numbers, bad dates, unicode, unknown names. None may fail the server (5xx), and
/// every refusal must be a problem document, including values too long for the API.
/// </summary>
public abstract class FuzzTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : ServedProject
{
    private const int Requests = 5000;

    private static readonly string[] Paths =
    [
        "/api/v1/metrics", "/api/v1/metrics/outcome_score/trend", "/api/v1/metrics/assessments/trend", "/api/v1/metrics/score_p90/trend",
        "/api/v1/metrics/outcome_score/cohorts", "/api/v1/metrics/assessments/cohorts", "/api/v1/funnels/program_journey",
        "/api/v1/benchmarks/outcome_vs_peers", "/api/v1/models/fct_appointments/rows", "/health", "/health/cache",
    ];

    private static readonly string[] Names =
    [
        "granularity", "from", "to", "group_by", "page", "page_size", "by", "cohorts", "entity", "limit", "offset", "order_by",
        "filter[program]", "filter[company_id]", "filter[dimension]", "filter[channel]", "filter[score]", "filter[", "filter[]",
        "patient_id", "appointment_status", "doctor_name", "date", "date_from", "date_to", "note", "x'; drop table raw.scores; --", "ünïcode", "",
    ];

    private static readonly string[] Hostile =
    [
        "'", "''", "\"", "'; drop table raw.scores; --", "1 or 1=1", "1' or '1'='1", "acme' union select note from raw.scores --",
        "); select pg_sleep(10); --", "\\", "%", "_", "*", "$1", "?", "{{ ref('x') }}", "null", "NULL", "true", "NaN", "Infinity", "-Infinity",
        "1e309", "-1", "0", "-2147483649", "2147483648", "9223372036854775808", "99999999999999999999999999", "1.5", "0x10",
        "2025-02-30", "2025-13-01", "0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01", "2025-1-1", "yesterday", "2025-01-01T00:00:00",
        "日本語", "😀", "\u0000", "\u202e", "a\nb", "  ", "", new string('x', 5000), "day", "week", "month", "program", "company_id",
        "dimension", "-appointment_date", "acme", "globex", "mentoring,language", "industry", "region", "size", "completed", "p07",
    ];

    [Fact]
    public async Task Random_and_hostile_requests_never_fail_the_server_and_refusals_are_problems()
    {
        var random = new Random(20251122);
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var gate = new SemaphoreSlim(8);
        var tasks = Enumerable.Range(0, Requests).Select(_ => RequestUri(random)).ToList().Select(async uri =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await project.Client.GetAsync(uri);
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                lock (statuses)
                {
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                }

                var problem = Problem(status, response.Content.Headers.ContentType?.MediaType, body);
                if (problem is not null)
                {
                    lock (failures)
                    {
                        failures.Add($"{Shorten(uri)}: {problem}");
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks);

        Assert.True(failures.Count == 0, $"{failures.Count} bad answers, such as:\n{string.Join("\n", failures.Take(10))}");
        Assert.True(statuses.GetValueOrDefault(200) > Requests / 20, $"too few requests succeeded to exercise the queries: {string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))}");
        Assert.True(statuses.GetValueOrDefault(400) > Requests / 4, "most hostile requests should be refused");
        Assert.Equal("ok", (await project.GetAsync("/health")).GetProperty("status").GetString());
        var total = (await project.GetAsync("/api/v1/metrics/assessments/trend?granularity=month&from=2025-01-01&to=2025-12-31")).GetProperty("periods").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64());
        Assert.Equal(AnalyticsData.Scores.Count, total);
    }

    private static string RequestUri(Random random)
    {
        // A NUL in the path is refused by Kestrel itself, as a problem like the API's refusals.
        var path = random.Next(10) == 0
            ? $"/api/v1/{Pick(random, ["metrics", "funnels", "benchmarks", "models"])}/{Uri.EscapeDataString(Pick(random, Hostile))}{Pick(random, ["", "/trend", "/cohorts", "/rows"])}"
            : Pick(random, Paths);
        var query = new StringBuilder();
        var count = random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            var name = random.Next(8) == 0 ? Pick(random, Hostile) : Pick(random, Names);
            var value = random.Next(3) == 0 ? Pick(random, Names) : Pick(random, Hostile);
            query.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return path + query;
    }

    private static string? Problem(int status, string? mediaType, string body)
    {
        if (status >= 500)
        {
            return $"{status} {Shorten(body)}";
        }

        try
        {
            var json = JsonDocument.Parse(body).RootElement;
            if (status >= 400)
            {
                return mediaType != "application/problem+json" ? $"{status} as {mediaType}"
                    : !json.TryGetProperty("status", out var code) || code.GetInt32() != status ? $"{status} without its status: {Shorten(body)}"
                    : !json.TryGetProperty("detail", out var detail) || string.IsNullOrWhiteSpace(detail.GetString()) ? $"{status} without a detail"
                    : null;
            }

            return status == (int)HttpStatusCode.OK ? null : $"unexpected {status}";
        }
        catch (JsonException)
        {
            return $"{status} with a body that is not JSON: {Shorten(body)}";
        }
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300];
}

public sealed class DuckDbFuzzTests(DuckDbServedProject project) : FuzzTests<DuckDbServedProject>(project);

public sealed class PostgresFuzzTests(PostgresServedProject project) : FuzzTests<PostgresServedProject>(project);

public sealed class ClickHouseFuzzTests(ClickHouseServedProject project) : FuzzTests<ClickHouseServedProject>(project);
