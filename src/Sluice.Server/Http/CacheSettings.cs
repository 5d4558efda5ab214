using Sluice.Server.Cache;

namespace Sluice.Server.Http;

/// <summary>The answer cache: whether it is on, where it lives, how long each endpoint's answers live, and how much it may hold.</summary>
public sealed record CacheSettings
{
    /// <summary>Whether answers are cached at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// The Redis that holds the answers and the query budgets of every server of the project, or
    /// null to hold answers in this process and count budgets in the warehouse.
    /// </summary>
    public RedisLocation? Redis { get; init; }

    /// <summary>How long answers live, per endpoint: trend, cohorts, funnel, benchmark, rows, dimension-values.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Ttl { get; init; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["trend"] = TimeSpan.FromHours(1),
        ["cohorts"] = TimeSpan.FromHours(6),
        ["funnel"] = TimeSpan.FromHours(1),
        ["benchmark"] = TimeSpan.FromHours(6),
        ["rows"] = TimeSpan.FromHours(1),
        ["dimension-values"] = TimeSpan.FromHours(6),
    };

    /// <summary>The most bytes of answers held in memory; past it the entries closest to expiry go first. Redis is bounded by its own maxmemory.</summary>
    public long MaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>How long <paramref name="endpoint"/>'s answers live.</summary>
    public TimeSpan TtlOf(string endpoint) => Ttl.GetValueOrDefault(endpoint, TimeSpan.FromHours(1));
}
