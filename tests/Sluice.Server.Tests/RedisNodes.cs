using System.Net;
using System.Text.Json;
using Sluice.Server.Cache;
using Sluice.Testing;

namespace Sluice.Server.Tests;

/// <summary>Several servers of one project (one PostgreSQL warehouse) sharing one throwaway Redis, as a deployment behind a load balancer runs them.</summary>
internal sealed class RedisNodes : IAsyncDisposable
{
    private readonly List<SluiceServer> _servers;
    private readonly HashSet<int> _stopped = [];

    private RedisNodes(RedisServer redis, List<SluiceServer> servers) => (Redis, _servers) = (redis, servers);

    public RedisServer Redis { get; }

    public SluiceServer this[int node] => _servers[node];

    public IReadOnlyList<SluiceServer> Servers => _servers;

    /// <summary>Starts a Redis and <paramref name="count"/> servers of <paramref name="project"/> on it, with <paramref name="settings"/> otherwise.</summary>
    public static async Task<RedisNodes> StartAsync(PreparedProject project, int count, ServeSettings settings)
    {
        var redis = await RedisServer.StartAsync();
        var servers = new List<SluiceServer>();
        try
        {
            var shared = settings with
            {
                Cache = settings.Cache with { Redis = RedisLocation.Parse(redis.Url()) },
                HealthPerMinute = 1_000_000,
            };
            for (var i = 0; i < count; i++)
            {
                servers.Add(await project.StartAsync(shared));
            }

            return new RedisNodes(redis, servers);
        }
        catch
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops server <paramref name="node"/> (its unused permits go back) and leaves the others running.</summary>
    public async Task StopAsync(int node)
    {
        if (_stopped.Add(node))
        {
            await _servers[node].DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var node = 0; node < _servers.Count; node++)
        {
            await StopAsync(node);
        }

        await Redis.DisposeAsync();
    }

    /// <summary>GETs <paramref name="path"/> from server <paramref name="node"/> as key <paramref name="key"/> (none: no keys configured), expecting 200; returns the text and the parsed body.</summary>
    public async Task<(string Text, JsonElement Body)> GetAsync(int node, string path, string? key = null)
    {
        using var client = PreparedProject.Client(_servers[node], key);
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} on server {node}: {(int)response.StatusCode} {text}");
        return (text, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Waits for <paramref name="condition"/>, asked again and again; five minutes without it fails the test (a guard against hanging, not a measure of speed).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(5), $"waited five minutes for {what}");
            await Task.Delay(10);
        }
    }
}
