using System.Collections.Concurrent;
using Sluice.Server.Cache;
using Sluice.Server.Schedules;
using Sluice.Testing;

namespace Sluice.Server.Tests;

/// <summary>
/// The scheduler's lease in a real redis-server: one process has it at a time, its owner keeps
/// it past its time to live by renewing, loses it when another has it or Redis is away, gets it
/// back, and deletes it on stop only while it is its own.
/// </summary>
public sealed class RedisSchedulerLeaseTests : IAsyncLifetime
{
    private const string Project = "leased";
    private static readonly string Key = RedisSchedulerHolds.Key(Project);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(900);

    private readonly ConcurrentQueue<string> _events = new();
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task A_second_process_cannot_take_a_held_lease_and_is_told_who_holds_it()
    {
        await using var first = Holds();
        await using var second = Holds();

        await using var lease = await first.TryTakeAsync(Project, "sluice serve on a (pid 1)", CancellationToken.None);

        Assert.NotNull(lease);
        Assert.True(lease.Held);
        Assert.Null(await second.TryTakeAsync(Project, "sluice serve on b (pid 2)", CancellationToken.None));
        Assert.Equal("sluice serve on a (pid 1)", await second.FindHolderAsync(Project, CancellationToken.None));
        Assert.Equal("sluice serve on a (pid 1)", await _redis.CommandAsync("GET", Key));
        var ttl = int.Parse((await _redis.CommandAsync("PTTL", Key))[1..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 1, (int)Short.TotalMilliseconds);
    }

    [Fact]
    public async Task The_owner_renews_its_lease_so_that_it_outlives_its_time_to_live()
    {
        await using var holds = Holds();
        await using var lease = await holds.TryTakeAsync(Project, "owner", CancellationToken.None);
        Assert.NotNull(lease);

        // Three renewals add up to more than the time to live: without them the key would be gone.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var renewals = 0;
        var last = int.MaxValue;
        await UntilAsync(async () =>
        {
            var now = int.Parse((await _redis.CommandAsync("PTTL", Key))[1..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(now > 0, "the lease ran out although its owner was renewing it");
            renewals += now > last ? 1 : 0;
            last = now;
            return renewals >= 3;
        }, "three renewals");
        Assert.True(started.Elapsed > Short);
        Assert.Equal("owner", await _redis.CommandAsync("GET", Key));
        Assert.True(lease.Held);
        Assert.Equal(1, lease.Taken);
    }

    [Fact]
    public async Task A_lease_another_process_has_taken_is_lost_then_taken_again_once_free()
    {
        await using var holds = Holds();
        await using var lease = await holds.TryTakeAsync(Project, "owner", CancellationToken.None);
        Assert.NotNull(lease);
        var holding = lease.Gone;

        // As if the owner had stalled past its lease and another had taken it.
        Assert.Equal("+OK", await _redis.CommandAsync("SET", Key, "other", "PX", "60000"));
        await UntilAsync(() => Task.FromResult(!lease.Held), "the lease counted as lost");
        Assert.Equal("other", await _redis.CommandAsync("GET", Key));
        Assert.Contains(_events, e => e.StartsWith("lease_lost", StringComparison.Ordinal));

        // Runs under the lost holding are cut short: the other process may start them too.
        Assert.True(holding.IsCancellationRequested);
        Assert.Contains(_events, e => e.StartsWith("lease_gone: another process has it: other", StringComparison.Ordinal));
        var regained = lease.WhenHeldAsync(CancellationToken.None);
        Assert.False(regained.IsCompleted);

        Assert.Equal(":1", await _redis.CommandAsync("DEL", Key));
        await regained.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(lease.Held);
        Assert.Equal(2, lease.Taken);
        Assert.False(lease.Gone.IsCancellationRequested);
        Assert.Equal("owner", await _redis.CommandAsync("GET", Key));
        Assert.Contains(_events, e => e.StartsWith("lease_regained", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stopped_holder_deletes_its_own_lease_and_never_another_s()
    {
        await using var holds = Holds();
        var lease = await holds.TryTakeAsync(Project, "owner", CancellationToken.None);
        Assert.NotNull(lease);
        await lease.DisposeAsync();
        Assert.Equal(":0", await _redis.CommandAsync("EXISTS", Key));

        var again = await holds.TryTakeAsync(Project, "owner", CancellationToken.None);
        Assert.NotNull(again);
        Assert.Equal("+OK", await _redis.CommandAsync("SET", Key, "other", "PX", "60000"));
        await again.DisposeAsync();
        Assert.Equal("other", await _redis.CommandAsync("GET", Key));
    }

    [Fact]
    public async Task A_standby_takes_a_lease_whose_holder_stopped_renewing_once_it_runs_out()
    {
        await using var standby = Holds();

        // A holder killed with SIGKILL leaves its key to run out.
        Assert.Equal("+OK", await _redis.CommandAsync("SET", Key, "killed", "PX", "800"));
        Assert.Null(await standby.TryTakeAsync(Project, "standby", CancellationToken.None));

        Sluice.Operate.Schedules.ISchedulerLease? taken = null;
        await UntilAsync(async () => (taken = await standby.TryTakeAsync(Project, "standby", CancellationToken.None)) is not null, "the standby to take the lease");
        await using var lease = taken!;
        Assert.Equal("standby", await _redis.CommandAsync("GET", Key));
    }

    [Fact]
    public async Task While_Redis_is_away_the_lease_counts_as_lost_and_it_is_taken_again_when_Redis_is_back()
    {
        await using var holds = Holds();
        await using var lease = await holds.TryTakeAsync(Project, "owner", CancellationToken.None);
        Assert.NotNull(lease);

        var holding = lease.Gone;

        // Once a whole time to live has passed without a renewal, the key may have run out.
        await _redis.KillAsync();
        await UntilAsync(() => Task.FromResult(!lease.Held), "the lease counted as lost while Redis is away");
        await UntilAsync(() => Task.FromResult(holding.IsCancellationRequested), "the holding to be gone after a time to live without renewal");
        await _redis.StartAgainAsync();
        await lease.WhenHeldAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.False(lease.Gone.IsCancellationRequested);
        Assert.Equal("owner", await _redis.CommandAsync("GET", Key));
        Assert.DoesNotContain(_events, e => e.Contains(_redis.Password, StringComparison.Ordinal));
    }

    private RedisSchedulerHolds Holds() =>
        new(RedisLocation.Parse(_redis.Url()), Short, TimeProvider.System, (name, fields) => _events.Enqueue(fields.TryGetValue("reason", out var r) && r is string why ? name + ": " + why : name));

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), $"waited two minutes for {what}");
            await Task.Delay(20);
        }
    }
}
