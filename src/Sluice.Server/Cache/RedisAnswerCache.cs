using StackExchange.Redis;
using Sluice.Server.Http;

namespace Sluice.Server.Cache;

/// <summary>
/// Answers held in a Redis shared by every server of the project (<c>serve.cache: redis://…</c>):
/// an answer one server computed is a hit on the others. Each entry holds the data version it
/// was computed at before the answer, and is served only at that version, so after a sync or
/// build no server serves it: each reads the version from the warehouse per round of requests.
/// Entries expire after their endpoint's time to live. Hits and misses are counted in Redis too,
/// for figures over every server. While Redis does not answer, lookups answer
/// <see cref="CacheLookup.Off"/> at once (<see cref="RedisStore"/>'s circuit) and nothing is held.
/// </summary>
internal sealed class RedisAnswerCache(CacheSettings settings, RedisStore store, RedisKeys keys) : IAnswerCache
{
    private const byte VersionEnd = (byte)'\n';

    private long _hits;
    private long _misses;

    /// <inheritdoc/>
    public bool Enabled => settings.Enabled;

    /// <inheritdoc/>
    public async ValueTask<CacheLookup> GetAsync(AnswerKey key, string version)
    {
        if (!settings.Enabled)
        {
            return CacheLookup.Off;
        }

        try
        {
            var held = await store.RunAsync(async db =>
            {
                var value = (byte[]?)await db.StringGetAsync(keys.Answer(key));
                var body = value is null ? null : BodyAt(value, version);

                // Counted without waiting for the reply: a lost count costs nothing.
                _ = db.StringIncrementAsync(body is null ? keys.Misses : keys.Hits, flags: CommandFlags.FireAndForget);
                return body;
            });
            Interlocked.Increment(ref held is null ? ref _misses : ref _hits);
            return held is null ? CacheLookup.Miss : new CacheLookup(held, "hit");
        }
        catch (RedisUnavailableException)
        {
            Interlocked.Increment(ref _misses);
            return CacheLookup.Off;
        }
    }

    /// <inheritdoc/>
    public async ValueTask PutAsync(AnswerKey key, string version, byte[] body)
    {
        if (!settings.Enabled)
        {
            return;
        }

        var value = new byte[version.Length + 1 + body.Length];
        System.Text.Encoding.ASCII.GetBytes(version, value);
        value[version.Length] = VersionEnd;
        body.CopyTo(value, version.Length + 1);
        try
        {
            // Waited for, so that an answer is in Redis before its client has it: a request the
            // client then sends to another server finds it.
            await store.RunAsync(db => db.StringSetAsync(keys.Answer(key), value, settings.TtlOf(key.Endpoint)));
        }
        catch (RedisUnavailableException)
        {
            // Not held; the next request computes it again.
        }
    }

    /// <inheritdoc/>
    public async ValueTask<CacheStats> StatsAsync()
    {
        var node = CacheNodeStats.Of(Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));
        try
        {
            var counts = await store.RunAsync(db => db.StringGetAsync([keys.Hits, keys.Misses]));
            var (hits, misses) = ((long?)counts[0] ?? 0, (long?)counts[1] ?? 0);
            return new CacheStats(settings.Enabled, "redis", "up", null, store.Display, hits, misses, CacheNodeStats.Rate(hits, misses), node, null, null);
        }
        catch (RedisUnavailableException e)
        {
            return new CacheStats(settings.Enabled, "redis", "degraded", $"Redis does not answer ({e.Message}); answers come from the warehouse", store.Display, null, null, null, node, null, null);
        }
    }

    // The answer when the entry was made at the asked version; an entry of another version is a miss.
    private static byte[]? BodyAt(byte[] value, string version)
    {
        var end = Array.IndexOf(value, VersionEnd);
        if (end != version.Length || !value.AsSpan(0, end).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(version)))
        {
            return null;
        }

        return value[(end + 1)..];
    }
}
