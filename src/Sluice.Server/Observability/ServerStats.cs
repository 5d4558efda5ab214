namespace Sluice.Server.Observability;

/// <summary>Requests answered on one route with one status.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Route">The route's pattern.</param>
/// <param name="Status">The status answered.</param>
/// <param name="Count">Requests.</param>
/// <param name="SecondsSum">Seconds they took together.</param>
/// <param name="P50Seconds">The median's bucket bound, in seconds.</param>
/// <param name="P95Seconds">The 95th percentile's bucket bound, in seconds; null past the last bucket (10 s).</param>
public sealed record RouteStats(string Method, string Route, int Status, long Count, double SecondsSum, double? P50Seconds, double? P95Seconds);

/// <summary>The answer cache's use by one endpoint.</summary>
/// <param name="Endpoint">trend, cohorts, funnel, benchmark, rows or dimension-values.</param>
/// <param name="Hits">Answers from the cache.</param>
/// <param name="Misses">Answers computed.</param>
public sealed record EndpointCacheStats(string Endpoint, long Hits, long Misses);

/// <summary>A count by label.</summary>
/// <param name="Label">An API key's name, or a rate limit.</param>
/// <param name="Count">How many.</param>
public sealed record LabelCount(string Label, long Count);

/// <summary>The answer of <c>/api/v1/server</c>: what this server process has answered since it started (the figures of <c>/metrics</c>, as JSON).</summary>
/// <param name="StartedAt">When it started.</param>
/// <param name="UptimeSeconds">Seconds since.</param>
/// <param name="Requests">Requests by route and status.</param>
/// <param name="Cache">Cache hits and misses by endpoint.</param>
/// <param name="BudgetRejections">Requests refused for a spent budget, by key.</param>
/// <param name="RateLimited">Requests refused by a rate limit, by limit.</param>
public sealed record ServerStats(DateTimeOffset StartedAt, long UptimeSeconds, IReadOnlyList<RouteStats> Requests, IReadOnlyList<EndpointCacheStats> Cache, IReadOnlyList<LabelCount> BudgetRejections, IReadOnlyList<LabelCount> RateLimited);
