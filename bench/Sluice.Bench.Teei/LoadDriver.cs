using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Sluice.Bench;

/// <summary>What one endpoint's requests measured during a load.</summary>
internal sealed record EndpointLoad(string Endpoint, IReadOnlyList<TimeSpan> Latencies, long Errors, long Hits, string? FirstError)
{
    public long Count => Latencies.Count + Errors;

    public TimeSpan P50 => Samples.Percentile(Latencies, 0.50);

    public TimeSpan P95 => Samples.Percentile(Latencies, 0.95);

    public TimeSpan P99 => Samples.Percentile(Latencies, 0.99);
}

/// <summary>What a load measured: per endpoint, and how many different requests were sent.</summary>
internal sealed record LoadResult(IReadOnlyList<EndpointLoad> Endpoints, TimeSpan Elapsed, int Clients, long DistinctSent)
{
    public long Requests => Endpoints.Sum(e => e.Count);

    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    /// <summary>The best hit rate any cache could have had for these requests: every request but the first of its kind a hit.</summary>
    public double HitCeiling => Requests == 0 ? 0 : 1 - ((double)DistinctSent / Requests);

    public EndpointLoad this[string endpoint] => Endpoints.First(e => e.Endpoint == endpoint);
}

/// <summary>
/// Concurrent clients over HTTP/1.1 keep-alive connections, one connection each, every client
/// sending its next request as soon as its last is answered (a closed loop, as a dashboard's
/// requests are), until the time is up. A latency is from sending the request to having read
/// its whole answer; a non-200 answer or a failed request is an error. Whether the answer came
/// from the cache is read from its <c>meta.cache</c>.
/// </summary>
internal static class LoadDriver
{
    private static readonly byte[] Hit = "\"cache\":\"hit\""u8.ToArray();

    public static async Task<LoadResult> RunAsync(Uri server, int clients, TimeSpan duration, Func<int, Random, TeeiRequest> next, int seed)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        var clock = Stopwatch.StartNew();
        var tallies = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(HashCode.Combine(seed, client));
            var tally = new Dictionary<string, Tally>(StringComparer.Ordinal);
            var sent = new HashSet<string>(StringComparer.Ordinal);
            while (clock.Elapsed < duration)
            {
                var request = next(client, random);
                sent.Add(request.CacheKey);
                if (!tally.TryGetValue(request.Endpoint, out var t))
                {
                    tally[request.Endpoint] = t = new Tally();
                }

                await SendAsync(http, request, t);
            }

            return (tally, sent);
        })));
        var elapsed = clock.Elapsed;
        var endpoints = tallies.SelectMany(t => t.tally).GroupBy(p => p.Key, p => p.Value)
            .Select(g => new EndpointLoad(g.Key, [.. g.SelectMany(t => t.Latencies)], g.Sum(t => t.Errors), g.Sum(t => t.Hits), g.Select(t => t.FirstError).FirstOrDefault(e => e is not null)))
            .ToList();
        var distinct = tallies.SelectMany(t => t.sent).Distinct(StringComparer.Ordinal).LongCount();
        return new LoadResult(endpoints, elapsed, clients, distinct);
    }

    private static async Task SendAsync(HttpClient http, TeeiRequest request, Tally tally)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, request.Path);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", request.Key);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead);
            var body = await response.Content.ReadAsByteArrayAsync();
            var latency = Stopwatch.GetElapsedTime(started);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                tally.Error($"{(int)response.StatusCode} for {request.Path}: {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 500)))}");
                return;
            }

            tally.Latencies.Add(latency);

            // meta is the answer's last property.
            if (body.AsSpan(Math.Max(0, body.Length - 200)).IndexOf(Hit) >= 0)
            {
                tally.Hits++;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            tally.Error($"{request.Path}: {e.Message}");
        }
    }

    private sealed class Tally
    {
        public List<TimeSpan> Latencies { get; } = [];

        public long Errors { get; private set; }

        public long Hits { get; set; }

        public string? FirstError { get; private set; }

        public void Error(string what)
        {
            Errors++;
            FirstError ??= what;
        }
    }
}
