using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Testing;

namespace Sluice.Server.Tests;

/// <summary>
/// Servers sharing a Redis (<c>serve.cache: redis://…</c>) share their answers: one computed on
/// one server is a hit on the others, never across tenants, never after a build, and a dead
/// Redis costs the API nothing but its hits.
/// </summary>
public abstract class RedisCacheTests<TProject>(TProject project) : IClassFixture<TProject>
    where TProject : PreparedProject
{
    private const string Trend = "/api/v1/metrics/outcome_score/trend?granularity=month&from=2025-01-01&to=2025-01-31";

    // The servers' clock: the circuit that stops asking a dead Redis reopens when it moves on.
    private static readonly DateTimeOffset Noon = new(2026, 4, 14, 12, 0, 0, TimeSpan.Zero);

    // Longer than the 5 s for which a server stops asking Redis after a failure (docs/serve.md).
    private static readonly TimeSpan PastTheCircuit = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task An_answer_computed_on_one_server_is_a_hit_on_the_other_two_and_health_counts_over_all_three()
    {
        await using var nodes = await RedisNodes.StartAsync(project, 3, new ServeSettings());

        var (computed, first) = await nodes.GetAsync(0, Trend + "&filter[company_id]=acme");
        var (_, second) = await nodes.GetAsync(1, Trend + "&filter[company_id]=acme");
        var (_, third) = await nodes.GetAsync(2, Trend + "&filter[company_id]=acme");

        Assert.Equal(["miss", "hit", "hit"], new[] { first, second, third }.Select(Cache));
        Assert.Equal(WithoutMeta(first), WithoutMeta(second));
        Assert.Equal(WithoutMeta(first), WithoutMeta(third));
        Assert.Equal(AnalyticsData.Scores.Count(s => s.CompanyId == "acme" && s.CreatedAt.Month == 1), first.GetProperty("periods")[0].GetProperty("count").GetInt64());
        Assert.Contains("\"meta\"", computed, StringComparison.Ordinal);

        // The counts are sent without waiting for Redis's reply, so they may land a moment later.
        JsonElement stats = default;
        await RedisNodes.UntilAsync(async () => (stats = (await nodes.GetAsync(2, "/health/cache")).Body).GetProperty("hits").GetInt64() >= 2, "two hits counted in Redis");
        Assert.Equal("redis", stats.GetProperty("backend").GetString());
        Assert.Equal("up", stats.GetProperty("status").GetString());
        Assert.Equal(2, stats.GetProperty("hits").GetInt64());
        Assert.Equal(1, stats.GetProperty("misses").GetInt64());
        Assert.Equal(2.0 / 3, stats.GetProperty("hit_rate").GetDouble(), 6);
        Assert.Equal(1, stats.GetProperty("node").GetProperty("hits").GetInt64());
        Assert.Equal(0, stats.GetProperty("node").GetProperty("misses").GetInt64());
        Assert.Equal($"redis://:***@127.0.0.1:{nodes.Redis.Port}/0", stats.GetProperty("location").GetString());

        // The key scheme: sluice:{project}:{endpoint}:{tenant}:{hash}, "-" for no tenant.
        Assert.Equal(":1", await nodes.Redis.CommandAsync("EVAL", "return #redis.call('KEYS', ARGV[1])", "0", "sluice:analytics:trend:-:*"));
    }

    [Fact]
    public async Task After_a_build_no_server_serves_the_answer_cached_before_it()
    {
        await using var nodes = await RedisNodes.StartAsync(project, 2, new ServeSettings());
        const string February = "/api/v1/metrics/outcome_score/trend?granularity=month&from=2025-02-01&to=2025-02-28&filter[program]=mentoring";
        var (_, before) = await nodes.GetAsync(0, February);
        Assert.Equal("hit", Cache((await nodes.GetAsync(1, February)).Body));

        await project.ChangeAndBuildAsync(session => session.ExecuteAsync(
            "insert into raw.scores (id, company_id, program, dimension, created_at, score, note) values "
            + string.Join(", ", Enumerable.Range(300_001, 7).Select(id => $"({id}, 'globex', 'mentoring', 'confidence', timestamp '2025-02-11 09:00:00', 70, 'redis')"))));

        var (_, onSecond) = await nodes.GetAsync(1, February);
        var (_, onFirst) = await nodes.GetAsync(0, February);
        Assert.Equal("miss", Cache(onSecond));
        Assert.Equal("hit", Cache(onFirst));
        Assert.Equal(Count(before) + 7, Count(onSecond));
        Assert.Equal(Count(before) + 7, Count(onFirst));
        Assert.NotEqual(Version(before), Version(onSecond));
        Assert.Equal(Version(onSecond), Version(onFirst));
    }

    [Fact]
    public async Task A_tenants_cached_answer_is_never_served_to_another_tenant()
    {
        var settings = new ServeSettings { ApiKeys = [PreparedProject.Key("acme", "acme"), PreparedProject.Key("globex", "globex"), PreparedProject.Key("ops", null)] };
        await using var nodes = await RedisNodes.StartAsync(project, 2, settings);

        var (acmeText, acme) = await nodes.GetAsync(0, Trend, "acme");
        var (globexText, globex) = await nodes.GetAsync(1, Trend, "globex");
        var (_, globexAgain) = await nodes.GetAsync(0, Trend, "globex");
        var (_, acmeAgain) = await nodes.GetAsync(1, Trend, "acme");

        Assert.Equal(["miss", "miss", "hit", "hit"], new[] { acme, globex, globexAgain, acmeAgain }.Select(Cache));
        Assert.Equal(AnalyticsData.Scores.Count(s => s.CompanyId == "acme" && s.CreatedAt.Month == 1), Count(acme));
        Assert.Equal(AnalyticsData.Scores.Count(s => s.CompanyId == "globex" && s.CreatedAt.Month == 1), Count(globex));
        Assert.NotEqual(WithoutMeta(acme), WithoutMeta(globex));
        Assert.Equal(WithoutMeta(acme), WithoutMeta(acmeAgain));
        Assert.Equal(WithoutMeta(globex), WithoutMeta(globexAgain));
        Assert.DoesNotContain("MARK-globex", acmeText, StringComparison.Ordinal);
        Assert.DoesNotContain("MARK-acme", globexText, StringComparison.Ordinal);

        // Each tenant's answer sits under its own name in the key.
        Assert.Equal(":1", await nodes.Redis.CommandAsync("EVAL", "return #redis.call('KEYS', ARGV[1])", "0", "sluice:analytics:trend:acme:*"));
        Assert.Equal(":1", await nodes.Redis.CommandAsync("EVAL", "return #redis.call('KEYS', ARGV[1])", "0", "sluice:analytics:trend:globex:*"));
    }

    [Fact]
    public async Task With_Redis_killed_the_answers_stay_the_same_and_health_says_degraded_and_when_it_is_back_servers_hit_again()
    {
        var clock = new ManualClock(Noon);
        await using var nodes = await RedisNodes.StartAsync(project, 2, new ServeSettings { Clock = clock });
        const string Path = Trend + "&filter[company_id]=initech";
        var (_, computed) = await nodes.GetAsync(0, Path);
        Assert.Equal("hit", Cache((await nodes.GetAsync(1, Path)).Body));

        await nodes.Redis.KillAsync();

        // The first request after the kill may meet the broken connection; either way every one
        // is answered from the warehouse with the same answer, and none waits on Redis.
        foreach (var node in new[] { 0, 1, 0, 1 })
        {
            var (_, answer) = await nodes.GetAsync(node, Path);
            Assert.Equal("off", Cache(answer));
            Assert.Equal(WithoutMeta(computed), WithoutMeta(answer));
        }

        var (cacheText, cache) = await nodes.GetAsync(1, "/health/cache");
        Assert.Equal("degraded", cache.GetProperty("status").GetString());
        Assert.Contains($"redis://:***@127.0.0.1:{nodes.Redis.Port}/0", cache.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, cache.GetProperty("hits").ValueKind);
        Assert.True(cache.GetProperty("node").GetProperty("misses").GetInt64() >= 2);
        var (dependenciesText, dependencies) = await nodes.GetAsync(0, "/health/dependencies");
        var redis = dependencies.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "redis");
        Assert.Equal("down", redis.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(redis.GetProperty("error").GetString()));
        Assert.Equal("up", dependencies.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "warehouse").GetProperty("status").GetString());
        Assert.DoesNotContain(nodes.Redis.Password, cacheText + dependenciesText, StringComparison.Ordinal);

        await nodes.Redis.StartAgainAsync();

        // The restarted Redis is empty. Once the circuit lets a server ask again and its client
        // has reconnected, the answer is computed and held, and the other server hits it.
        await RedisNodes.UntilAsync(
            async () =>
            {
                clock.Advance(PastTheCircuit);
                return Cache((await nodes.GetAsync(0, Path)).Body) == "miss";
            },
            "server 0 to use Redis again");
        await RedisNodes.UntilAsync(
            async () =>
            {
                clock.Advance(PastTheCircuit);
                return Cache((await nodes.GetAsync(1, Path)).Body) == "hit";
            },
            "server 1 to hit Redis again");
        var (_, back) = await nodes.GetAsync(1, Path);
        Assert.Equal("hit", Cache(back));
        Assert.Equal(WithoutMeta(computed), WithoutMeta(back));
        Assert.Equal("up", (await nodes.GetAsync(1, "/health/cache")).Body.GetProperty("status").GetString());
        var after = (await nodes.GetAsync(0, "/health/dependencies")).Body;
        var redisBack = after.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "redis");
        Assert.Equal("up", redisBack.GetProperty("status").GetString());
        Assert.StartsWith("7.", redisBack.GetProperty("version").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_started_while_Redis_is_down_answers_from_the_warehouse()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.KillAsync();
        var settings = new ServeSettings { Cache = new Http.CacheSettings { Redis = Sluice.Server.Cache.RedisLocation.Parse(redis.Url()) } };
        await using var server = await project.StartAsync(settings);
        using var client = PreparedProject.Client(server, null);
        using var response = await client.GetAsync(Trend);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("off", Cache(body));
        Assert.Equal(AnalyticsData.Scores.Count(s => s.CreatedAt.Month == 1), Count(body));
    }

    private static string? Cache(JsonElement body) => body.GetProperty("meta").GetProperty("cache").GetString();

    private static string? Version(JsonElement body) => body.GetProperty("meta").GetProperty("data_version").GetString();

    private static long Count(JsonElement body) => body.GetProperty("periods")[0].GetProperty("count").GetInt64();

    private static string WithoutMeta(JsonElement body) =>
        Expected.Rounded(JsonNode.Parse(JsonSerializer.Serialize(body.EnumerateObject().Where(p => p.Name != "meta").ToDictionary(p => p.Name, p => p.Value))))!.ToJsonString();
}

public sealed class PostgresRedisCacheTests(PostgresPreparedProject project) : RedisCacheTests<PostgresPreparedProject>(project);

public sealed class ClickHouseRedisCacheTests(ClickHousePreparedProject project) : RedisCacheTests<ClickHousePreparedProject>(project);
