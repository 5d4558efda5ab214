using System.Collections.Concurrent;
using System.Net;
using Sluice.Server.Access;

namespace Sluice.Server.Tests;

/// <summary>
/// With a shared Redis, budgets are counted there: exact across servers under concurrent
/// requests, unused permits given back when a server stops, and while Redis is down a key with a
/// budget is admitted from the permits its server holds, then refused with a 503 naming Redis.
/// </summary>
public abstract class RedisBudgetTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : PreparedProject
{
    private const int ClientsPerServer = 40;

    // More than any budget here admits: a budget that lets more through is broken, and the
    // clients stop instead of sending requests forever.
    private const int MostAdmitted = 2_000;

    private static readonly DateTimeOffset Noon = new(2026, 4, 14, 12, 0, 0, TimeSpan.Zero);

    // Longer than the 5 s for which a server stops asking Redis after a failure (docs/serve.md).
    private static readonly TimeSpan PastTheCircuit = TimeSpan.FromSeconds(6);

    private static ServeSettings Settings(string tenant, QueryBudget budget, ManualClock? clock = null) => new()
    {
        ApiKeys = [PreparedProject.Key(tenant, tenant, budget), PreparedProject.Key("ops", null)],
        Clock = clock ?? new ManualClock(Noon),
    };

    [Fact]
    public async Task Three_servers_on_one_Redis_admit_exactly_the_budget_under_concurrent_clients_and_refuse_the_next_with_429()
    {
        const long Budget = 333;
        await using var nodes = await RedisNodes.StartAsync(project, 3, Settings("acme", new QueryBudget(Budget, 5_000)));

        var results = await Task.WhenAll(nodes.Servers.Select(server => HammerAsync(server, "acme")));

        Assert.Equal(Budget, results.Sum(r => r.Admitted));
        var refusals = results.SelectMany(r => r.Refusals).ToList();
        Assert.All(refusals, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.Status));
        Assert.Contains("daily query budget of tenant 'acme'", refusals[0].Body, StringComparison.Ordinal);
        foreach (var server in nodes.Servers)
        {
            using var client = PreparedProject.Client(server, "acme");
            using var next = await client.GetAsync("/api/v1/metrics");
            Assert.Equal(HttpStatusCode.TooManyRequests, next.StatusCode);
        }

        // Every permit claimed was used: Redis counts the budget, the day and the month alike.
        Assert.Equal($"{Budget}", await nodes.Redis.CommandAsync("GET", "sluice:analytics:budget:tenant%3Aacme:daily:2026-04-14"));
        Assert.Equal($"{Budget}", await nodes.Redis.CommandAsync("GET", "sluice:analytics:budget:tenant%3Aacme:monthly:2026-04"));
    }

    [Fact]
    public async Task Unused_permits_go_back_to_Redis_when_a_server_stops_so_the_others_admit_exactly_the_rest()
    {
        await using var nodes = await RedisNodes.StartAsync(project, 2, Settings("globex", new QueryBudget(120, null)));
        using (var client = PreparedProject.Client(nodes[0], "globex"))
        {
            for (var i = 0; i < 35; i++)
            {
                using var response = await client.GetAsync("/api/v1/metrics");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal($"{120 - i - 1}", response.Headers.GetValues("X-Budget-Daily-Remaining").Single());
            }
        }

        // The server claimed a block of 100 and used 35; stopping gives 65 back.
        Assert.Equal("100", await nodes.Redis.CommandAsync("GET", "sluice:analytics:budget:tenant%3Aglobex:daily:2026-04-14"));
        await nodes.StopAsync(0);
        Assert.Equal("35", await nodes.Redis.CommandAsync("GET", "sluice:analytics:budget:tenant%3Aglobex:daily:2026-04-14"));

        var (admitted, _) = await HammerAsync(nodes[1], "globex");
        Assert.Equal(85, admitted);
    }

    [Fact]
    public async Task While_Redis_is_down_a_key_is_admitted_from_the_permits_in_hand_then_refused_with_503_naming_Redis_until_it_is_back()
    {
        var clock = new ManualClock(Noon);
        await using var nodes = await RedisNodes.StartAsync(project, 1, Settings("initech", new QueryBudget(1_000, null), clock));
        using var client = PreparedProject.Client(nodes[0], "initech");
        using var admin = PreparedProject.Client(nodes[0], "ops");

        // The first request claims a block of 100 permits: 99 are left in hand.
        using (var first = await client.GetAsync("/api/v1/metrics"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await nodes.Redis.KillAsync();
        for (var i = 0; i < 99; i++)
        {
            using var response = await client.GetAsync("/api/v1/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var refused = await client.GetAsync("/api/v1/metrics"))
        {
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 5);
            Assert.Contains("counted in Redis (serve.cache), which does not answer", body, StringComparison.Ordinal);
            Assert.Contains($"redis://:***@127.0.0.1:{nodes.Redis.Port}/0", body, StringComparison.Ordinal);
            Assert.DoesNotContain(nodes.Redis.Password, body, StringComparison.Ordinal);
        }

        // A key without a budget is not counted, so it is answered as before.
        using (var unlimited = await admin.GetAsync("/api/v1/metrics"))
        {
            Assert.Equal(HttpStatusCode.OK, unlimited.StatusCode);
        }

        await nodes.Redis.StartAgainAsync();
        string? remaining = null;
        await RedisNodes.UntilAsync(
            async () =>
            {
                clock.Advance(PastTheCircuit);
                using var response = await client.GetAsync("/api/v1/metrics");
                remaining = response.Headers.TryGetValues("X-Budget-Daily-Remaining", out var values) ? values.Single() : null;
                return response.StatusCode == HttpStatusCode.OK;
            },
            "the budget to be counted in Redis again");

        // The restarted Redis kept nothing (this one persists nothing), so the day's count starts
        // afresh: what docs/serve.md warns of for a Redis without persistence.
        Assert.Equal("999", remaining);
        Assert.NotEqual("$-1", await nodes.Redis.CommandAsync("GET", "sluice:analytics:budget:tenant%3Ainitech:daily:2026-04-14"));
    }

    [Fact]
    public async Task The_budgets_page_lists_the_counts_in_Redis_with_limits_filters_and_a_503_while_Redis_is_down()
    {
        var clock = new ManualClock(Noon);
        var settings = new ServeSettings
        {
            ApiKeys = [PreparedProject.Key("hooli", "hooli", new QueryBudget(500, 9_000)), PreparedProject.Key("piper", "piper", new QueryBudget(50, null)), PreparedProject.Key("ops", null)],
            Clock = clock,
        };
        await using var nodes = await RedisNodes.StartAsync(project, 2, settings);
        await SendAsync(nodes[0], "hooli", 7);
        await SendAsync(nodes[1], "hooli", 4);
        await SendAsync(nodes[1], "piper", 3);

        // A stopped server gives its unused permits back: the page shows what Redis holds.
        await nodes.StopAsync(1);
        using var admin = PreparedProject.Client(nodes[0], "ops");
        var page = await JsonAsync(admin, "/api/v1/budgets");

        var rows = page.GetProperty("items").EnumerateArray()
            .Select(r => $"{r.GetProperty("subject").GetString()} {r.GetProperty("period").GetString()} {r.GetProperty("period_start").GetString()} {Text(r.GetProperty("query_limit"))} {r.GetProperty("queries_used").GetInt64()}")
            .ToList();
        var hooliDaily = await nodes.Redis.CommandAsync("GET", "sluice:analytics:budget:tenant%3Ahooli:daily:2026-04-14");
        Assert.Equal("104", hooliDaily);
        Assert.Equal(
            [
                "tenant:hooli daily 2026-04-14 500 104",
                "tenant:piper daily 2026-04-14 50 3",
                "tenant:hooli monthly 2026-04-01 9000 104",
                "tenant:piper monthly 2026-04-01 null 3",
            ],
            rows);
        Assert.Equal(4, page.GetProperty("total").GetInt64());
        Assert.All(page.GetProperty("items").EnumerateArray(), r => Assert.StartsWith("2026-04-14", r.GetProperty("updated_at").GetString(), StringComparison.Ordinal));

        var filtered = await JsonAsync(admin, "/api/v1/budgets?subject=tenant:piper&limit=1&offset=1");
        Assert.Equal(2, filtered.GetProperty("total").GetInt64());
        Assert.Equal("monthly", Assert.Single(filtered.GetProperty("items").EnumerateArray()).GetProperty("period").GetString());
        Assert.Equal(2, (await JsonAsync(admin, "/api/v1/budgets?since=2026-04-14")).GetProperty("total").GetInt64());

        await nodes.Redis.KillAsync();
        using var down = await admin.GetAsync("/api/v1/budgets");
        var body = await down.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Contains("counted in Redis (serve.cache), which does not answer", body, StringComparison.Ordinal);
        Assert.DoesNotContain(nodes.Redis.Password, body, StringComparison.Ordinal);
    }

    private static async Task SendAsync(SluiceServer server, string key, int requests)
    {
        using var client = PreparedProject.Client(server, key);
        for (var i = 0; i < requests; i++)
        {
            using var response = await client.GetAsync("/api/v1/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static async Task<System.Text.Json.JsonElement> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string Text(System.Text.Json.JsonElement value) => value.ValueKind == System.Text.Json.JsonValueKind.Null ? "null" : value.GetRawText();

    // Clients send requests to one server until each has been refused once; returns how many were
    // admitted. A server that stops answering fails the test after five minutes.
    private static async Task<(long Admitted, List<Refusal> Refusals)> HammerAsync(SluiceServer server, string key)
    {
        long admitted = 0;
        var refusals = new ConcurrentBag<Refusal>();
        using var client = PreparedProject.Client(server, key);
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await Task.WhenAll(Enumerable.Range(0, ClientsPerServer).Select(async _ =>
        {
            while (Interlocked.Read(ref admitted) <= MostAdmitted)
            {
                using var response = await client.GetAsync("/api/v1/metrics", hangGuard.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref admitted);
                    continue;
                }

                refusals.Add(new Refusal(response.StatusCode, await response.Content.ReadAsStringAsync(hangGuard.Token)));
                return;
            }
        }));
        Assert.True(admitted <= MostAdmitted, $"the budget admitted over {MostAdmitted} requests without refusing");
        Assert.Equal(ClientsPerServer, refusals.Count);
        return (admitted, [.. refusals]);
    }

    private sealed record Refusal(HttpStatusCode Status, string Body);
}

public sealed class PostgresRedisBudgetTests(PostgresPreparedProject project) : RedisBudgetTests<PostgresPreparedProject>(project);

public sealed class ClickHouseRedisBudgetTests(ClickHousePreparedProject project) : RedisBudgetTests<ClickHousePreparedProject>(project);
