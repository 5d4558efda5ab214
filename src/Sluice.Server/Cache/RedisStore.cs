using System.Diagnostics;
using StackExchange.Redis;
using Sluice.Core.Project;

namespace Sluice.Server.Cache;

/// <summary>What a look at Redis found, for <c>/health/dependencies</c>.</summary>
/// <param name="Up">Whether it answered.</param>
/// <param name="LatencyMs">How long the PING took, or the attempt.</param>
/// <param name="Version">The server's version, when up.</param>
/// <param name="Error">Why it is down, password masked.</param>
internal sealed record RedisProbe(bool Up, double LatencyMs, string? Version, string? Error);

/// <summary>Redis did not answer; the circuit is open until <see cref="RetryAfter"/> has passed.</summary>
internal sealed class RedisUnavailableException(string message, TimeSpan retryAfter) : Exception(message)
{
    /// <summary>How long until the server asks Redis again.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// The connection to the shared Redis of <c>serve.cache</c>, which the answer cache and the query
/// budgets use. Redis is a help, not a dependency the API waits on: connecting and each command
/// are given <see cref="OperationTimeout"/>, commands fail at once while the connection is down
/// (no backlog), and after a failure the store stops asking for <see cref="OpenFor"/> (a circuit
/// on the server's clock), so a dead Redis costs a request nothing while the circuit is open and
/// at most one timeout each few seconds. The client reconnects by itself; the first command after
/// the circuit closes finds Redis back, without a restart.
/// </summary>
internal sealed class RedisStore(RedisLocation location, TimeProvider clock) : IAsyncDisposable
{
    /// <summary>How long connecting, and each command, may take before Redis counts as down.</summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(1000);

    /// <summary>How long the store stops asking after a failure.</summary>
    public static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly Lock _gate = new();
    private ConnectionMultiplexer? _connection;
    private DateTimeOffset _openUntil = DateTimeOffset.MinValue;
    private string? _reason;

    /// <summary>Where Redis is, password masked.</summary>
    public string Display => location.Display;

    /// <summary>Why the last command failed, while the store counts Redis as down; null while it answers.</summary>
    public string? Reason
    {
        get
        {
            lock (_gate)
            {
                return _reason;
            }
        }
    }

    /// <summary>
    /// Connects, without failing when Redis does not answer: the server starts and answers from
    /// the warehouse, and the store keeps trying in the background.
    /// </summary>
    public async Task ConnectAsync()
    {
        try
        {
            await ConnectionAsync();
        }
        catch (RedisUnavailableException)
        {
            // Reported by the health endpoints; the circuit is open.
        }
    }

    /// <summary>Runs <paramref name="command"/> against the database, or throws <see cref="RedisUnavailableException"/> when Redis does not answer or the circuit is open.</summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> command)
    {
        var connection = await ConnectionAsync();
        try
        {
            var result = await command(connection.GetDatabase(location.Database));
            Closed();
            return result;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            throw Open(e);
        }
    }

    /// <summary>PINGs Redis and reads its version, past the circuit: a health probe must look.</summary>
    public async Task<RedisProbe> ProbeAsync()
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var connection = await ConnectionAsync(ignoreCircuit: true);
            await connection.GetDatabase(location.Database).PingAsync();
            var latency = Math.Round(watch.Elapsed.TotalMilliseconds, 3);
            var server = connection.GetServers().FirstOrDefault(s => s.IsConnected);
            Closed();
            return new RedisProbe(true, latency, server?.Version.ToString(), null);
        }
        catch (RedisUnavailableException e)
        {
            return new RedisProbe(false, Math.Round(watch.Elapsed.TotalMilliseconds, 3), null, e.Message);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new RedisProbe(false, Math.Round(watch.Elapsed.TotalMilliseconds, 3), null, Open(e).Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }

        _connecting.Dispose();
    }

    private async Task<ConnectionMultiplexer> ConnectionAsync(bool ignoreCircuit = false)
    {
        if (!ignoreCircuit)
        {
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                if (now < _openUntil)
                {
                    throw new RedisUnavailableException(_reason ?? "Redis does not answer", _openUntil - now);
                }
            }
        }

        var connection = Volatile.Read(ref _connection) ?? await CreateAsync();
        if (!connection.IsConnected)
        {
            throw Open(null);
        }

        return connection;
    }

    private async Task<ConnectionMultiplexer> CreateAsync()
    {
        await _connecting.WaitAsync();
        try
        {
            if (_connection is { } made)
            {
                return made;
            }

            var options = location.ClientOptions("sluice-serve", OperationTimeout);
            var connection = await ConnectionMultiplexer.ConnectAsync(options);
            Volatile.Write(ref _connection, connection);
            return connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    private void Closed()
    {
        lock (_gate)
        {
            _reason = null;
        }
    }

    private RedisUnavailableException Open(Exception? error)
    {
        // The client's messages carry the endpoint and sometimes the configuration; never the
        // password, but masked all the same in case a later version adds it.
        var why = error is null
            ? $"no connection to {location.Display}"
            : $"{location.Display}: {SecretMasker.Mask(error.Message.Split('\n')[0])}";
        if (location.Password is { Length: > 0 } password)
        {
            why = why.Replace(password, "***", StringComparison.Ordinal);
        }

        lock (_gate)
        {
            _reason = why;
            _openUntil = clock.GetUtcNow() + OpenFor;
        }

        return new RedisUnavailableException(why, OpenFor);
    }
}
