namespace Sluice.Server.Cache;

/// <summary>Which answer a cache entry holds: the endpoint, the caller's tenant (null for every tenant) and the request's canonical key.</summary>
/// <param name="Endpoint">trend, cohorts, funnel, benchmark, rows or dimension-values: it picks the time to live.</param>
/// <param name="Tenant">The tenant whose rows the answer holds, or null for an admin's or a server without keys.</param>
/// <param name="Request">The request's canonical form, which already holds the tenant: equal keys have equal answers.</param>
public readonly record struct AnswerKey(string Endpoint, string? Tenant, string Request);

/// <summary>What a look in the cache found: the answer, or none, and what <c>meta.cache</c> says (hit, miss or off).</summary>
/// <param name="Body">The answer at the asked data version, or null.</param>
/// <param name="State">"hit", "miss", or "off" when the cache is off or its Redis does not answer.</param>
public readonly record struct CacheLookup(byte[]? Body, string State)
{
    /// <summary>The cache is off, or cannot be asked.</summary>
    public static CacheLookup Off { get; } = new(null, "off");

    /// <summary>Nothing held for the key at this data version.</summary>
    public static CacheLookup Miss { get; } = new(null, "miss");
}

/// <summary>This server's own hits and misses.</summary>
/// <param name="Hits">Answers it served from the cache.</param>
/// <param name="Misses">Answers it computed because the cache had none (or could not be asked).</param>
/// <param name="HitRate">Hits over hits and misses; null before any request.</param>
public sealed record CacheNodeStats(long Hits, long Misses, double? HitRate)
{
    /// <summary>The figures of <paramref name="hits"/> and <paramref name="misses"/>.</summary>
    public static CacheNodeStats Of(long hits, long misses) => new(hits, misses, Rate(hits, misses));

    /// <summary>Hits over hits and misses; null when both are 0.</summary>
    public static double? Rate(long hits, long misses) => hits + misses == 0 ? null : (double)hits / (hits + misses);
}

/// <summary>What the cache holds and how it has served, for <c>/health/cache</c> and <c>/metrics</c>.</summary>
/// <param name="Enabled">Whether it is on.</param>
/// <param name="Backend">"memory" (each server its own) or "redis" (shared by every server on it).</param>
/// <param name="Status">"up", or "degraded" while its Redis does not answer (answers then come from the warehouse).</param>
/// <param name="Reason">Why it is degraded, password masked.</param>
/// <param name="Location">Where its Redis is, password masked; null in memory.</param>
/// <param name="Hits">Answers served from it: by every server on a shared Redis, by this one in memory; null while Redis does not answer.</param>
/// <param name="Misses">Answers computed because it had none, counted as <paramref name="Hits"/> are.</param>
/// <param name="HitRate">Hits over hits and misses; null before any request.</param>
/// <param name="Node">This server's own figures.</param>
/// <param name="Entries">Answers held; null on Redis, whose memory Redis itself reports.</param>
/// <param name="Bytes">Their size; null on Redis.</param>
public sealed record CacheStats(bool Enabled, string Backend, string Status, string? Reason, string? Location, long? Hits, long? Misses, double? HitRate, CacheNodeStats Node, long? Entries, long? Bytes);

/// <summary>
/// The answer cache: answers keyed by <see cref="AnswerKey"/> and valid for one data version
/// only, so an entry made before the latest sync or build is never served, whatever its time to
/// live. <see cref="MemoryAnswerCache"/> holds them in this process; <see cref="RedisAnswerCache"/>
/// in a Redis shared by every server of the project. Neither throws: a cache that cannot be asked
/// answers <see cref="CacheLookup.Off"/> and the answer comes from the warehouse.
/// </summary>
public interface IAnswerCache
{
    /// <summary>Whether the cache is on.</summary>
    bool Enabled { get; }

    /// <summary>The answer for <paramref name="key"/> at <paramref name="version"/>, if held.</summary>
    ValueTask<CacheLookup> GetAsync(AnswerKey key, string version);

    /// <summary>Holds <paramref name="body"/> as the answer for <paramref name="key"/> at <paramref name="version"/>, for its endpoint's time to live.</summary>
    ValueTask PutAsync(AnswerKey key, string version, byte[] body);

    /// <summary>How the cache stands.</summary>
    ValueTask<CacheStats> StatsAsync();
}
