using System.Collections.Concurrent;

namespace Sluice.Server.Observability;

/// <summary>
/// What the server counts about itself for <c>/metrics</c>: requests and their durations by
/// route and status, cache hits and misses by endpoint, and requests refused by budgets and
/// rate limits by key. Each series is a few interlocked counters, cheap on every request.
/// </summary>
internal sealed class ServerMetrics
{
    /// <summary>The upper bounds, in seconds, of the request-duration histogram's buckets.</summary>
    public static IReadOnlyList<double> DurationBuckets { get; } = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<(string Method, string Route, int Status), Histogram> _requests = new();
    private readonly ConcurrentDictionary<(string Name, string Label), Counter> _counters = new();

    /// <summary>One answered request.</summary>
    public void RequestAnswered(string method, string route, int status, double seconds) =>
        _requests.GetOrAdd((method, route, status), _ => new Histogram()).Observe(seconds);

    /// <summary>An answer served from the cache.</summary>
    public void CacheHit(string endpoint) => Count("cache_hit", endpoint);

    /// <summary>An answer the cache did not hold.</summary>
    public void CacheMiss(string endpoint) => Count("cache_miss", endpoint);

    /// <summary>A request refused because its budget was spent.</summary>
    public void BudgetRejected(string key) => Count("budget", key);

    /// <summary>A request refused by a rate limit: a key's, or the health endpoints' per client.</summary>
    public void RateLimited(string limit) => Count("rate", limit);

    /// <summary>Writes the families into <paramref name="text"/>.</summary>
    public void WriteTo(PrometheusText text)
    {
        text.Family("sluice_http_requests_total", "counter", "HTTP requests answered, by method, route and status.");
        var requests = _requests.OrderBy(r => r.Key.Route, StringComparer.Ordinal).ThenBy(r => r.Key.Method, StringComparer.Ordinal).ThenBy(r => r.Key.Status).ToList();
        foreach (var (key, histogram) in requests)
        {
            text.Sample("sluice_http_requests_total", Labels(key), histogram.Count);
        }

        text.Family("sluice_http_request_duration_seconds", "histogram", "How long HTTP requests took to answer, by method, route and status.");
        foreach (var (key, histogram) in requests)
        {
            var labels = Labels(key);
            var (buckets, count, sum) = histogram.Read();
            for (var i = 0; i < DurationBuckets.Count; i++)
            {
                text.Sample("sluice_http_request_duration_seconds_bucket", [.. labels, new("le", PrometheusText.Number(DurationBuckets[i]))], buckets[i]);
            }

            text.Sample("sluice_http_request_duration_seconds_bucket", [.. labels, new("le", "+Inf")], count);
            text.Sample("sluice_http_request_duration_seconds_sum", labels, sum);
            text.Sample("sluice_http_request_duration_seconds_count", labels, count);
        }

        WriteCounters(text, "cache_hit", "sluice_cache_hits_total", "Answers served from the cache, by endpoint.", "endpoint");
        WriteCounters(text, "cache_miss", "sluice_cache_misses_total", "Answers computed because the cache did not hold them, by endpoint.", "endpoint");
        WriteCounters(text, "budget", "sluice_budget_rejections_total", "Requests refused because the query budget was spent, by API key.", "key");
        WriteCounters(text, "rate", "sluice_rate_limit_rejections_total", "Requests refused by a rate limit, by limit (key:NAME, or health).", "limit");
    }

    /// <summary>The counts so far, for the API page of the web app.</summary>
    public ServerStats Read(DateTimeOffset startedAt, DateTimeOffset now)
    {
        var routes = _requests
            .Select(r => (r.Key, Reading: r.Value.Read()))
            .OrderBy(r => r.Key.Route, StringComparer.Ordinal).ThenBy(r => r.Key.Method, StringComparer.Ordinal).ThenBy(r => r.Key.Status)
            .Select(r => new RouteStats(r.Key.Method, r.Key.Route, r.Key.Status, r.Reading.Count, r.Reading.Sum, Quantile(r.Reading.Buckets, r.Reading.Count, 0.5), Quantile(r.Reading.Buckets, r.Reading.Count, 0.95)))
            .ToList();
        long Counted(string name, string label) => _counters.TryGetValue((name, label), out var c) ? c.Value : 0;
        var cache = _counters.Keys.Where(k => k.Name is "cache_hit" or "cache_miss").Select(k => k.Label).Distinct().Order(StringComparer.Ordinal)
            .Select(endpoint => new EndpointCacheStats(endpoint, Counted("cache_hit", endpoint), Counted("cache_miss", endpoint)))
            .ToList();
        List<LabelCount> Of(string name) => [.. _counters.Where(c => c.Key.Name == name).OrderBy(c => c.Key.Label, StringComparer.Ordinal).Select(c => new LabelCount(c.Key.Label, c.Value.Value))];
        return new ServerStats(startedAt, (long)(now - startedAt).TotalSeconds, routes, cache, Of("budget"), Of("rate"));
    }

    // The upper bound of the bucket holding the quantile: what a histogram can tell; null past the last bucket.
    private static double? Quantile(long[] cumulative, long count, double fraction)
    {
        if (count == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(fraction * count);
        for (var i = 0; i < cumulative.Length; i++)
        {
            if (cumulative[i] >= rank)
            {
                return DurationBuckets[i];
            }
        }

        return null;
    }

    private static KeyValuePair<string, string>[] Labels((string Method, string Route, int Status) key) =>
        [new("method", key.Method), new("route", key.Route), new("status", key.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private void Count(string name, string label) => _counters.GetOrAdd((name, label), _ => new Counter()).Increment();

    private void WriteCounters(PrometheusText text, string name, string family, string help, string labelName)
    {
        text.Family(family, "counter", help);
        foreach (var (key, counter) in _counters.Where(c => c.Key.Name == name).OrderBy(c => c.Key.Label, StringComparer.Ordinal))
        {
            text.Sample(family, [new(labelName, key.Label)], counter.Value);
        }
    }

    private sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }

    private sealed class Histogram
    {
        private readonly long[] _buckets = new long[DurationBuckets.Count];
        private readonly Lock _lock = new();
        private long _count;
        private double _sum;

        public long Count
        {
            get
            {
                lock (_lock)
                {
                    return _count;
                }
            }
        }

        public void Observe(double seconds)
        {
            var first = 0;
            while (first < _buckets.Length && seconds > DurationBuckets[first])
            {
                first++;
            }

            lock (_lock)
            {
                for (var i = first; i < _buckets.Length; i++)
                {
                    _buckets[i]++;
                }

                _sum += seconds;
                _count++;
            }
        }

        /// <summary>Cumulative bucket counts, the count and the sum, read together.</summary>
        public (long[] Buckets, long Count, double Sum) Read()
        {
            lock (_lock)
            {
                return ([.. _buckets], _count, _sum);
            }
        }
    }
}
