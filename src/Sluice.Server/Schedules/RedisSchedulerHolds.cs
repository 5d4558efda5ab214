using Sluice.Core.Project;
using Sluice.Operate.Schedules;
using Sluice.Server.Cache;
using StackExchange.Redis;

namespace Sluice.Server.Schedules;

/// <summary>
/// The scheduler hold for an engine that cannot hold one (ClickHouse): a lease in the shared Redis
/// of <c>serve.cache</c>, the key <c>sluice:{project}:scheduler</c> set only where absent, with a
/// time to live, its value the holder's description. The holder renews it every third of the
/// time to live, and only while the value is still its own; it deletes it on stop, again only if
/// it is its own. A holder that is killed stops renewing, and a standby takes the lease once it
/// has run out. A holder that cannot renew (Redis away, or the lease gone to another) counts as
/// not holding: its scheduler starts no run until it has the lease again. Once the lease may be
/// another's (another has it, it ran out, or a whole time to live passed without a renewal),
/// <see cref="ISchedulerLease.Gone"/> cancels the runs going under it.
/// </summary>
public sealed class RedisSchedulerHolds : ISchedulerHolds, IAsyncDisposable
{
    /// <summary>How long a lease lasts without renewal, unless a caller says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(2);

    // Compare-and-renew and compare-and-delete: a lease is only ever extended or removed by the
    // process whose description it holds.
    private const string RenewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private readonly RedisLocation _location;
    private readonly TimeProvider _clock;
    private readonly Action<string, IReadOnlyDictionary<string, object?>> _log;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    /// <param name="location">The shared Redis.</param>
    /// <param name="timeToLive">How long a lease lasts without renewal; it is renewed every third of it.</param>
    /// <param name="clock">The time, for the renewals' waits.</param>
    /// <param name="log">Told when a lease is lost (<c>lease_lost</c>) and had again (<c>lease_regained</c>).</param>
    public RedisSchedulerHolds(RedisLocation location, TimeSpan timeToLive, TimeProvider clock, Action<string, IReadOnlyDictionary<string, object?>> log)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeToLive, TimeSpan.FromMilliseconds(300));
        _location = location;
        TimeToLive = timeToLive;
        _clock = clock;
        _log = log;
    }

    /// <summary>How long a lease lasts without renewal.</summary>
    public TimeSpan TimeToLive { get; }

    /// <summary>Where the lease is kept, password masked.</summary>
    public string Display => _location.Display;

    /// <summary>The lease's key for <paramref name="project"/>.</summary>
    public static string Key(string project) => $"sluice:{project}:scheduler";

    /// <inheritdoc />
    public bool StandsBy => true;

    /// <inheritdoc />
    /// <remarks>Redis away counts as the lease being taken: the caller stands by and asks again.</remarks>
    public async Task<ISchedulerLease?> TryTakeAsync(string project, string self, CancellationToken cancellationToken)
    {
        try
        {
            var database = await DatabaseAsync();
            if (!await database.StringSetAsync(Key(project), self, TimeToLive, When.NotExists))
            {
                return null;
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return null;
        }

        return new Lease(this, Key(project), self);
    }

    /// <inheritdoc />
    public async Task<string?> FindHolderAsync(string project, CancellationToken cancellationToken)
    {
        try
        {
            var value = await (await DatabaseAsync()).StringGetAsync(Key(project));
            return value.IsNull ? null : value.ToString();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return $"an unknown process (Redis at {_location.Display} does not answer: {Reason(e)})";
        }
    }

    /// <summary>Closes the connection to Redis; dispose the leases first, which let their keys go.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }

        _connecting.Dispose();
    }

    private async Task<IDatabase> DatabaseAsync()
    {
        var connection = Volatile.Read(ref _connection);
        if (connection is null)
        {
            await _connecting.WaitAsync();
            try
            {
                // A lease is renewed well within its time to live: commands fail at once while
                // disconnected rather than queue past it.
                connection = _connection ??= await ConnectionMultiplexer.ConnectAsync(_location.ClientOptions("sluice-scheduler", OperationTimeout));
            }
            finally
            {
                _connecting.Release();
            }
        }

        return connection.GetDatabase(_location.Database);
    }

    // The client's messages carry the endpoint, never the password; masked all the same.
    private string Reason(Exception e)
    {
        var why = SecretMasker.Mask(e.Message.Split('\n')[0]);
        return _location.Password is { Length: > 0 } password ? why.Replace(password, "***", StringComparison.Ordinal) : why;
    }

    private sealed class Lease : ISchedulerLease
    {
        private readonly RedisSchedulerHolds _holds;
        private readonly string _key;
        private readonly string _self;
        private readonly CancellationTokenSource _stopping = new();
        private readonly Lock _gate = new();
        private readonly Task _renewing;
        private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private CancellationTokenSource _holding = new();
        private DateTimeOffset _renewedAt;
        private int _taken = 1;

        public Lease(RedisSchedulerHolds holds, string key, string self)
        {
            _holds = holds;
            _key = key;
            _self = self;
            _held.SetResult();
            _renewedAt = holds._clock.GetUtcNow();
            _renewing = Task.Run(() => RenewAsync(_stopping.Token));
        }

        public bool Held
        {
            get
            {
                lock (_gate)
                {
                    return _held.Task.IsCompleted;
                }
            }
        }

        public int Taken => Volatile.Read(ref _taken);

        public CancellationToken Gone
        {
            get
            {
                lock (_gate)
                {
                    return _holding.Token;
                }
            }
        }

        public Task WhenHeldAsync(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                return _held.Task.WaitAsync(cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stopping.CancelAsync();
            await _renewing;
            try
            {
                await (await _holds.DatabaseAsync()).ScriptEvaluateAsync(ReleaseScript, [_key], [_self]);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Redis away: the lease runs out by itself.
            }

            _stopping.Dispose();
        }

        private async Task RenewAsync(CancellationToken stopping)
        {
            var every = _holds.TimeToLive / 3;
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(every, _holds._clock, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                // The holding is gone, and runs under it are cut short, once another process has
                // the key or may have had it: the key ran out, or Redis has not renewed it for a
                // whole time to live. A renewal that fails once within it only stops new runs.
                string? lost = null;
                var gone = false;
                var now = _holds._clock.GetUtcNow();
                try
                {
                    var database = await _holds.DatabaseAsync();
                    var renewed = (long)await database.ScriptEvaluateAsync(RenewScript, [_key], [_self, (long)_holds.TimeToLive.TotalMilliseconds]) == 1;
                    if (!renewed)
                    {
                        if (await database.StringSetAsync(_key, _self, _holds.TimeToLive, When.NotExists))
                        {
                            // Taken anew: another process may have had it meanwhile.
                            Interlocked.Increment(ref _taken);
                        }
                        else
                        {
                            lost = $"another process has it: {await database.StringGetAsync(_key)}";
                        }

                        gone = true;
                    }

                    _renewedAt = lost is null ? now : _renewedAt;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    lost = $"Redis at {_holds.Display} does not answer: {_holds.Reason(e)}";
                    gone = now - _renewedAt >= _holds.TimeToLive;
                }

                Mark(lost, gone);
            }
        }

        private void Mark(string? lost, bool gone)
        {
            bool changed;
            CancellationTokenSource? cut = null;
            lock (_gate)
            {
                changed = _held.Task.IsCompleted == lost is not null;
                if (changed && lost is null)
                {
                    _held.SetResult();
                }
                else if (changed)
                {
                    _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                if (gone && !_holding.IsCancellationRequested)
                {
                    cut = _holding;
                }

                if (lost is null && (cut is not null || _holding.IsCancellationRequested))
                {
                    _holding = new CancellationTokenSource();
                }
            }

            // Outside the lock: the runs' cancellations run here.
            cut?.Cancel();
            if (changed)
            {
                Log(lost is null ? "lease_regained" : "lease_lost", lost);
            }

            if (cut is not null)
            {
                Log("lease_gone", lost ?? "the lease had run out and was taken again; another process may have had it meanwhile");
            }
        }

        private void Log(string name, string? reason)
        {
            try
            {
                _holds._log(name, new Dictionary<string, object?> { ["key"] = _key, ["reason"] = reason });
            }
            catch (Exception)
            {
                // Telemetry never throws.
            }
        }
    }
}
