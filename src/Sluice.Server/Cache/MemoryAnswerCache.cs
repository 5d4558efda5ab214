using System.Collections.Concurrent;
using Sluice.Server.Http;

namespace Sluice.Server.Cache;

/// <summary>
/// Answers held in this process, keyed by the request's canonical form (endpoint, parameters,
/// tenant) and valid for one data version: an entry made before the latest sync or build is never
/// served, whatever its time to live.
/// </summary>
public sealed class MemoryAnswerCache(CacheSettings settings, TimeProvider clock) : IAnswerCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _hits;
    private long _misses;
    private long _bytes;

    /// <inheritdoc/>
    public bool Enabled => settings.Enabled;

    /// <inheritdoc/>
    public ValueTask<CacheLookup> GetAsync(AnswerKey key, string version)
    {
        if (!settings.Enabled)
        {
            return ValueTask.FromResult(CacheLookup.Off);
        }

        if (_entries.TryGetValue(key.Request, out var entry) && entry.Version == version && entry.Expires > clock.GetUtcNow())
        {
            Interlocked.Increment(ref _hits);
            return ValueTask.FromResult(new CacheLookup(entry.Body, "hit"));
        }

        Interlocked.Increment(ref _misses);
        return ValueTask.FromResult(CacheLookup.Miss);
    }

    /// <summary>
    /// Holds <paramref name="body"/> as the answer for <paramref name="key"/> at <paramref name="version"/>,
    /// for the endpoint's time to live. An answer larger than three quarters of the limit is not
    /// held: it could not stay once the cache is trimmed, and would only push out every other one.
    /// </summary>
    public ValueTask PutAsync(AnswerKey key, string version, byte[] body)
    {
        if (!settings.Enabled || body.Length > settings.MaxBytes * 3 / 4)
        {
            return ValueTask.CompletedTask;
        }

        var entry = new Entry(version, body, clock.GetUtcNow() + settings.TtlOf(key.Endpoint));
        _entries.AddOrUpdate(
            key.Request,
            _ =>
            {
                Interlocked.Add(ref _bytes, body.Length);
                return entry;
            },
            (_, old) =>
            {
                Interlocked.Add(ref _bytes, body.Length - old.Body.Length);
                return entry;
            });
        if (Interlocked.Read(ref _bytes) > settings.MaxBytes)
        {
            Trim();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<CacheStats> StatsAsync()
    {
        var (hits, misses) = (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));
        return ValueTask.FromResult(new CacheStats(
            settings.Enabled, "memory", "up", null, null, hits, misses, CacheNodeStats.Rate(hits, misses), CacheNodeStats.Of(hits, misses), _entries.Count, Interlocked.Read(ref _bytes)));
    }

    // Drops expired entries, then those nearest expiry, until three quarters of the limit are used.
    private void Trim()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, entry) in _entries.OrderBy(e => e.Value.Expires).ToList())
        {
            if (entry.Expires > now && Interlocked.Read(ref _bytes) <= settings.MaxBytes * 3 / 4)
            {
                break;
            }

            if (_entries.TryRemove(new KeyValuePair<string, Entry>(key, entry)))
            {
                Interlocked.Add(ref _bytes, -entry.Body.Length);
            }
        }
    }

    private sealed record Entry(string Version, byte[] Body, DateTimeOffset Expires);
}
