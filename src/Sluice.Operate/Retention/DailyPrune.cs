namespace Sluice.Operate.Retention;

/// <summary>
/// Applies <c>retention:</c> once a day while a scheduler runs (<c>sluice serve</c> or
/// <c>sluice schedule</c>): the first time shortly after it starts, then every
/// <see cref="Interval"/>. The prune itself is <c>sluice prune</c> run as the scheduler runs its
/// commands, so that it takes its turn with the scheduled jobs on the warehouse.
/// </summary>
/// <param name="prune">Runs <c>sluice prune</c>; returns its exit code.</param>
/// <param name="clock">The time.</param>
/// <param name="ran">Told each prune's exit code, or the exception that stopped it.</param>
public sealed class DailyPrune(Func<CancellationToken, Task<int>> prune, TimeProvider clock, Action<int?, Exception?> ran)
{
    /// <summary>How long after the start the first prune runs: a process restarted often still prunes, and its start is not slowed.</summary>
    public static readonly TimeSpan FirstAfter = TimeSpan.FromMinutes(10);

    /// <summary>Between two prunes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    private volatile object? _waitingUntil; // a boxed DateTimeOffset, read and written whole

    /// <summary>While it waits for the next prune: when that is.</summary>
    public DateTimeOffset? WaitingUntil => _waitingUntil as DateTimeOffset?;

    /// <summary>Prunes each day until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var wait = FirstAfter;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // Told only once the wait has begun: whoever moves the clock then ends it.
                var until = clock.GetUtcNow() + wait;
                var delay = Task.Delay(wait, clock, stopping);
                _waitingUntil = until;
                await delay;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                _waitingUntil = null;
            }

            try
            {
                ran(await prune(stopping), null);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                ran(null, e);
            }

            wait = Interval;
        }
    }
}
