using System.Threading.RateLimiting;

namespace Sluice.Server.Access;

/// <summary>
/// A token bucket without a queue that reads time from a <see cref="TimeProvider"/>: it holds up
/// to <paramref name="burst"/> tokens and gains <paramref name="perSecond"/> each whole second.
/// ASP.NET Core's own token bucket reads the machine's clock and refills from a timer, so a test
/// could only tell what it admits by how fast the machine sends requests; this one is refilled
/// when asked, from the clock it is given.
/// </summary>
internal sealed class ClockedTokenBucket(int burst, int perSecond, TimeProvider clock) : RateLimiter
{
    private static readonly RateLimitLease Granted = new Lease(true, null);

    private readonly Lock _gate = new();
    private long _tokens = burst;

    // When the last whole second was credited, and when a token was last taken.
    private long _creditedAt = clock.GetTimestamp();
    private long _usedAt = clock.GetTimestamp();
    private long _admitted;
    private long _refused;

    /// <inheritdoc />
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _tokens >= burst ? clock.GetElapsedTime(_usedAt) : null;
            }
        }
    }

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Refill();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _tokens,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _admitted,
                TotalFailedLeases = _refused,
            };
        }
    }

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, burst);
        lock (_gate)
        {
            Refill();
            if (_tokens >= Math.Max(permitCount, 1))
            {
                _tokens -= permitCount;
                if (permitCount > 0)
                {
                    _usedAt = clock.GetTimestamp();
                    _admitted++;
                }

                return Granted;
            }

            _refused++;
            var seconds = (Math.Max(permitCount, 1) - _tokens + perSecond - 1) / perSecond;
            return new Lease(false, TimeSpan.FromSeconds(seconds) - clock.GetElapsedTime(_creditedAt));
        }
    }

    /// <inheritdoc />
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    // Credits the whole seconds since the last credit; the part of a second left over counts
    // towards the next.
    private void Refill()
    {
        var seconds = clock.GetElapsedTime(_creditedAt).Ticks / TimeSpan.TicksPerSecond;
        if (seconds > 0)
        {
            _tokens = Math.Min(burst, _tokens + (seconds * perSecond));
            _creditedAt += seconds * clock.TimestampFrequency;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
