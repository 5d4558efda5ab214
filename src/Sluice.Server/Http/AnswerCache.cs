using System.Collections.Concurrent;

namespace Sluice.Server.Http;

/// <summary>What the cache holds and how it has served, for <c>/health/cache</c> and <c>/metrics</c>.</summary>
/// <param name="Enabled">Whether it is on.</param>
/// <param name="Hits">Answers served from it.</param>
/// <param name="Misses">Answers computed because it had none.</param>
/// <param name="HitRate">Hits over hits and misses; null before any request.</param>
/// <param name="Entries">Answers held.</param>
/// <param name="Bytes">Their size.</param>
public sealed record CacheStats(bool Enabled, long Hits, long Misses, double? HitRate, long Entries, long Bytes);

/// <summary>
/// Answers held in memory, keyed by the request's canonical form (endpoint, parameters, tenant)
/// and valid for one data version: an entry made before the latest sync or build is never
/// served, whatever its time to live.
/// </summary>
public sealed class AnswerCache(CacheSettings settings, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _hits;
    private long _misses;
    private long _bytes;

    /// <summary>Whether the cache is on.</summary>
    public bool Enabled => settings.Enabled;

    /// <summary>The answer for <paramref name="key"/> at <paramref name="version"/>, or null.</summary>
    public byte[]? Get(string key, string version)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Version == version && entry.Expires > clock.GetUtcNow())
        {
            Interlocked.Increment(ref _hits);
            return entry.Body;
        }

        Interlocked.Increment(ref _misses);
        return null;
    }

    /// <summary>
    /// Holds <paramref name="body"/> as the answer for <paramref name="key"/> at <paramref name="version"/>,
    /// for the endpoint's time to live. An answer larger than three quarters of the limit is not
    /// held: it could not stay once the cache is trimmed, and would only push out every other one.
    /// </summary>
    public void Put(string endpoint, string key, string version, byte[] body)
    {
        if (body.Length > settings.MaxBytes * 3 / 4)
        {
            return;
        }

        var entry = new Entry(version, body, clock.GetUtcNow() + settings.Ttl.GetValueOrDefault(endpoint, TimeSpan.FromHours(1)));
        _entries.AddOrUpdate(
            key,
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
    }

    /// <summary>How the cache stands.</summary>
    public CacheStats Stats()
    {
        var (hits, misses) = (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));
        return new CacheStats(settings.Enabled, hits, misses, hits + misses == 0 ? null : (double)hits / (hits + misses), _entries.Count, Interlocked.Read(ref _bytes));
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
