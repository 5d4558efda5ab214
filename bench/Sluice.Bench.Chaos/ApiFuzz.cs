using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Sluice.Bench.Chaos;

/// <summary>
/// Hostile requests against the multi-tenant project's server: every endpoint, each parameter
/// mutated (SQL injection, huge and unicode values, bad numbers and dates, other tenants' ids and
/// customers), under tenant keys, the admin key, no key and a wrong key. No answer is a 5xx, every
/// error is a problem document, none holds a stack trace or a secret, and no tenant key's answer
/// holds another tenant's marker or id unless the request itself named it.
/// </summary>
public static class ApiFuzz
{
    private static readonly (string Path, string[] Parameters)[] Endpoints =
    [
        ("/api/v1/metrics", []),
        ("/api/v1/metrics/revenue/trend", ["granularity", "from", "to", "group_by", "filter[status]", "filter[customer]", "filter[tenant_id]", "page", "page_size"]),
        ("/api/v1/metrics/orders/trend", ["granularity", "from", "to", "group_by", "filter[status]", "page", "page_size"]),
        ("/api/v1/metrics/p90_value/trend", ["granularity", "from", "to", "page"]),
        ("/api/v1/metrics/order_value/cohorts", ["by", "cohorts", "from", "to"]),
        ("/api/v1/funnels/journey", ["from", "to", "filter[channel]"]),
        ("/api/v1/benchmarks/value_vs_segment", ["entity", "by", "from", "to"]),
        ("/api/v1/benchmarks/value_across_tenants", ["entity", "by", "from", "to"]),
        ("/api/v1/benchmarks/customer_vs_tier", ["entity", "by", "from", "to"]),
        ("/api/v1/models/fct_orders/rows", ["limit", "offset", "order_by", "customer", "status", "created_from", "created_to", "created"]),
        ("/api/v1/meta/counts", []),
        ("/api/v1/runs", ["job", "status", "since", "limit", "offset"]),
        ("/api/v1/checks", ["check", "model", "status", "since", "limit"]),
        ("/api/v1/status", ["days"]),
        ("/api/v1/jobs", []),
        ("/health", []),
        ("/health/ready", []),
        ("/health/dependencies", []),
        ("/health/cache", []),
        ("/metrics", []),
        ("/openapi/v1.json", []),
    ];

    private static readonly string[] Valid =
    [
        "day", "week", "month", "total", "status", "customer", "tenant_id", "open", "paid", "refunded", "segment", "region", "tier", "web", "app",
        "1", "2", "10", "100", "-created_at", "created_at", "amount", "fct_orders", "2026-01-01", "2026-12-31", "2025-06-01", "7", "success", "failed",
    ];

    private static readonly string[] Hostile =
    [
        "'", "''", "\"", "'; drop table raw.orders; --", "1 or 1=1", "1' or '1'='1", "t0' union select note from raw.orders --",
        "); select pg_sleep(10); --", "\\", "%", "_", "*", "$1", "?", "{{ ref('x') }}", "null", "NULL", "true", "NaN", "Infinity", "-Infinity",
        "1e309", "-1", "0", "-2147483649", "2147483648", "9223372036854775808", "99999999999999999999999999", "1.5", "0x10",
        "2025-02-30", "2025-13-01", "0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01", "2025-1-1", "yesterday", "2025-01-01T00:00:00",
        "日本語", "😀", "\u0000", "\u202e", "a\nb", "  ", "", new string('x', 5000), new string('y', 70_000), "status,customer,tenant_id,status",
        "../../etc/passwd", "%00", "%2e%2e", "<script>alert(1)</script>", "\u00ff\u00fe",
    ];

    public static async Task RunAsync(PipelineWorld world, int requests, Random random, ChaosTally tally, Action<string> log)
    {
        var directory = Path.Combine(world.Work, "tenants");
        var environment = await TenantWorld.PrepareAsync(world, directory);
        var cli = new SluiceCli(world.Cli.Dll, environment);
        var secrets = world.Secrets.Concat(environment.Values).Distinct(StringComparer.Ordinal).ToList();
        await using var api = await ServedApi.StartAsync(cli, directory);
        var clients = new Dictionary<string, HttpClient>(StringComparer.Ordinal);
        HttpClient Client(string? key)
        {
            var name = key ?? "none";
            if (!clients.TryGetValue(name, out var client))
            {
                client = new HttpClient { BaseAddress = api.Address, Timeout = TimeSpan.FromMinutes(1) };
                if (key == "wrong")
                {
                    client.DefaultRequestHeaders.Add("X-API-Key", environment[TenantWorld.KeyVariable(TenantWorld.AdminKey)] + "0");
                }
                else if (key is not null)
                {
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", environment[TenantWorld.KeyVariable(key)]);
                }

                clients[name] = client;
            }

            return client;
        }

        var plans = Enumerable.Range(0, requests).Select(_ => Plan(random)).ToList();
        var statuses = new Dictionary<int, int>();
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(plans.Select(async plan =>
        {
            await gate.WaitAsync();
            try
            {
                var problems = new List<string>();
                try
                {
                    using var response = await Client(plan.Key).GetAsync(plan.Uri);
                    var body = await response.Content.ReadAsStringAsync();
                    lock (statuses)
                    {
                        statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                    }

                    problems.AddRange(Judge(plan, response, body, secrets));
                }
                catch (HttpRequestException e)
                {
                    problems.Add($"no answer: {e.Message}");
                }

                tally.Add(problems, $"{plan.Key ?? "no key"} GET {OutputChecks.Shorten(plan.Uri)}");
            }
            finally
            {
                gate.Release();
            }
        }));

        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        log($"  {requests} hostile requests ({string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value}× {s.Key}"))}), {tally.Failed} failed");
    }

    private sealed record Request(string? Key, string Uri, int? Tenant);

    private static Request Plan(Random random)
    {
        var roll = random.Next(10);
        int? tenant = roll < 6 ? random.Next(TenantWorld.Tenants) : null;
        var key = tenant is { } t ? TenantWorld.Tenant(t) : roll < 8 ? TenantWorld.AdminKey : roll < 9 ? null : "wrong";
        var (path, parameters) = Endpoints[random.Next(Endpoints.Length)];
        var query = new StringBuilder();
        var count = parameters.Length == 0 ? random.Next(2) : random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            var name = parameters.Length == 0 || random.Next(10) == 0 ? Pick(random, Hostile.Concat(Valid).ToArray()) : Pick(random, parameters);
            var value = random.Next(10) switch
            {
                < 4 => Pick(random, Valid),
                < 6 => Other(random),
                _ => Pick(random, Hostile),
            };
            query.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        // A tenant's own id and customer are valid values it may ask for, too.
        if (tenant is { } own && random.Next(3) == 0 && parameters.Contains("entity"))
        {
            query.Append(query.Length == 0 ? '?' : '&').Append("entity=").Append(Uri.EscapeDataString(path.Contains("customer", StringComparison.Ordinal) ? TenantWorld.Customer(own, random.Next(9)) : TenantWorld.Tenant(own)));
        }

        return new Request(key, path + query, tenant);
    }

    // Another tenant's id, customer or marker, or a made-up one.
    private static string Other(Random random)
    {
        var tenant = random.Next(TenantWorld.Tenants + 1);
        return random.Next(3) switch
        {
            0 => TenantWorld.Tenant(tenant),
            1 => TenantWorld.Customer(tenant, random.Next(9)),
            _ => TenantWorld.Marker(tenant),
        };
    }

    private static List<string> Judge(Request plan, HttpResponseMessage response, string body, IEnumerable<string> secrets)
    {
        var status = (int)response.StatusCode;
        var problems = OutputChecks.Problems(body + string.Join('\n', response.Headers.Select(h => $"{h.Key}: {string.Join(',', h.Value)}")), secrets);
        if (status >= 500)
        {
            problems.Add($"{status} {OutputChecks.Shorten(body)}");
        }

        if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            problems.Add($"{status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}");
        }
        else if (status >= 400 && !IsProblem(body, status))
        {
            problems.Add($"{status} whose body is not a problem with its status and request_id: {OutputChecks.Shorten(body)}");
        }

        if (plan.Tenant is { } own && status < 400)
        {
            var asked = Uri.UnescapeDataString(plan.Uri);
            for (var other = 0; other < TenantWorld.Tenants; other++)
            {
                if (other != own && (body.Contains(TenantWorld.Marker(other), StringComparison.Ordinal) && !asked.Contains(TenantWorld.Marker(other), StringComparison.Ordinal)
                    || body.Contains($"\"{TenantWorld.Tenant(other)}\"", StringComparison.Ordinal) && !asked.Contains(TenantWorld.Tenant(other), StringComparison.Ordinal)))
                {
                    problems.Add($"tenant {TenantWorld.Tenant(own)} received tenant {TenantWorld.Tenant(other)}'s data: {OutputChecks.Shorten(body)}");
                }
            }
        }

        return problems;
    }

    private static bool IsProblem(string body, int status)
    {
        try
        {
            var json = JsonDocument.Parse(body).RootElement;
            return json.TryGetProperty("status", out var code) && code.GetInt32() == status && json.TryGetProperty("request_id", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
