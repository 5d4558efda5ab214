using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Sluice.Operate.Retention;

namespace Sluice.Operate.Tests.Retention;

public sealed class DailyPruneTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task It_prunes_shortly_after_the_start_then_once_a_day_and_goes_on_after_a_failure()
    {
        var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        var calls = new ConcurrentQueue<DateTimeOffset>();
        var outcomes = new ConcurrentQueue<string>();
        var prune = new DailyPrune(
            _ =>
            {
                calls.Enqueue(clock.GetUtcNow());
                return calls.Count == 2 ? throw new InvalidOperationException("the warehouse is gone") : Task.FromResult(0);
            },
            clock,
            (exitCode, e) => outcomes.Enqueue(e?.Message ?? $"exit {exitCode}"));
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => prune.RunAsync(stop.Token));

        await WaitingAsync(prune);
        Assert.Equal(start + DailyPrune.FirstAfter, prune.WaitingUntil);
        Assert.Empty(calls);

        for (var day = 0; day < 3; day++)
        {
            var count = calls.Count;
            clock.Advance(prune.WaitingUntil!.Value - clock.GetUtcNow());
            await WaitForAsync(() => calls.Count == count + 1 && prune.WaitingUntil is not null);
        }

        Assert.Equal([start.AddMinutes(10), start.AddMinutes(10).AddDays(1), start.AddMinutes(10).AddDays(2)], calls);
        Assert.Equal(["exit 0", "the warehouse is gone", "exit 0"], outcomes);

        await stop.CancelAsync();
        await running;
        Assert.Equal(3, calls.Count);
    }

    private static Task WaitingAsync(DailyPrune prune) => WaitForAsync(() => prune.WaitingUntil is not null);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come to hold");
            await Task.Delay(5);
        }
    }
}
