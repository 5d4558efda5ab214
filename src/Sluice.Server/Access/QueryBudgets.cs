using System.Collections.Concurrent;
using Sluice.Core.Project;
using Sluice.Server.Cache;

namespace Sluice.Server.Access;

/// <summary>The answer to one request against a budget.</summary>
/// <param name="Admitted">Whether the request may go on.</param>
/// <param name="DailyRemaining">Requests left today after this one, or null without a daily limit.</param>
/// <param name="MonthlyRemaining">Requests left this month after this one, or null without a monthly limit.</param>
/// <param name="RetryAfter">When refused, how long until the exhausted period starts again.</param>
/// <param name="Day">The day (UTC) whose budget the request counted against.</param>
public sealed record BudgetDecision(bool Admitted, long? DailyRemaining, long? MonthlyRemaining, TimeSpan? RetryAfter, DateOnly Day);

/// <summary>
/// Counts API requests against daily and monthly budgets kept in <paramref name="permits"/> (the
/// warehouse's <c>_sluice.query_budgets</c>, or the shared Redis), so that counts survive
/// restarts and are shared by every server of the project. A server claims permits in blocks
/// (never more than what is left, atomically against the other servers) and admits requests from
/// its block one at a time under a lock per subject: a budget of N admits exactly N requests,
/// however many arrive at once and at however many servers. A block starts at
/// <see cref="MinBlockSize"/> permits and doubles, up to <see cref="MaxBlockSize"/>, while
/// blocks last under a second, so a busy subject costs the store a few writes a second;
/// it halves again when blocks last long. Unused permits go back when the server stops or a day
/// ends; a server killed outright, or a store that does not answer then, loses at most one block
/// per subject (counted as used, so a budget is never exceeded). Days and months are UTC.
/// When the store does not answer, requests are admitted from the permits in hand, and past them
/// the claim's error (<see cref="WarehouseException"/> or
/// <see cref="RedisUnavailableException"/>) reaches the caller: budgets fail closed.
/// </summary>
internal sealed class QueryBudgets(IBudgetPermits permits, TimeProvider clock) : IAsyncDisposable
{
    /// <summary>The permits of a subject's first claim, and of a quiet subject's.</summary>
    public const int MinBlockSize = 100;

    /// <summary>The most permits claimed from the store at once.</summary>
    public const int MaxBlockSize = 10_000;

    // A block used up faster than this makes the next twice as large; one lasting longer than
    // SlowBlock makes it half as large.
    private static readonly TimeSpan FastBlock = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SlowBlock = TimeSpan.FromSeconds(30);

    // A subject found exhausted is asked again after this long: other servers may return permits.
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.Ordinal);

    /// <summary>The shared Redis the permits are counted in; null when they are counted in the warehouse.</summary>
    public RedisPermits? InRedis => permits as RedisPermits;

    /// <summary>Counts one request of <paramref name="subject"/> against <paramref name="budget"/>, if it has room.</summary>
    public async ValueTask<BudgetDecision> AdmitAsync(string subject, QueryBudget budget, CancellationToken cancellationToken)
    {
        var account = _accounts.GetOrAdd(subject, s => new Account(s));

        // Most requests find permits in hand: they take one without waiting for the lock.
        var now = clock.GetUtcNow();
        if (account.Day == DateOnly.FromDateTime(now.UtcDateTime) && account.TryTake(out var left))
        {
            return Admitted(account, budget, left);
        }

        await account.Gate.WaitAsync(cancellationToken);
        try
        {
            now = clock.GetUtcNow();
            var day = DateOnly.FromDateTime(now.UtcDateTime);
            if (account.Day != day)
            {
                await ReturnAsync(account, CancellationToken.None);
                account.StartDay(day);
            }

            if (account.Permits == 0 && (account.ExhaustedUntil is not { } until || now >= until))
            {
                await ClaimAsync(account, budget, now, cancellationToken);
            }

            if (!account.TryTake(out left))
            {
                return new BudgetDecision(false, Remaining(budget.Daily, account.DailyUsed, 0), Remaining(budget.Monthly, account.MonthlyUsed, 0), RetryAfter(account, budget, now), day);
            }

            return Admitted(account, budget, left);
        }
        finally
        {
            account.Gate.Release();
        }
    }

    /// <summary>
    /// Gives back the permit of a request admitted against <paramref name="day"/>'s budget that the
    /// server could not answer (the warehouse was away): a tenant does not pay for an outage it
    /// is asked to retry through. A day that has ended since keeps its count.
    /// </summary>
    public async ValueTask RefundAsync(string subject, DateOnly day)
    {
        if (!_accounts.TryGetValue(subject, out var account))
        {
            return;
        }

        // Under the gate, so that a new day cannot start between the check and the grant.
        await account.Gate.WaitAsync();
        try
        {
            if (account.Day == day)
            {
                account.Grant(1);
            }
        }
        finally
        {
            account.Gate.Release();
        }
    }

    /// <summary>Hands every unused permit back to the store.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var account in _accounts.Values)
        {
            await account.Gate.WaitAsync();
            try
            {
                await ReturnAsync(account, CancellationToken.None);
            }
            catch (Exception e) when (e is WarehouseException or RedisUnavailableException)
            {
                // The store does not answer: the permits stay counted as used, as when a
                // server is killed, so the budget is never exceeded.
            }
            finally
            {
                account.Gate.Release();
            }
        }
    }

    private static BudgetDecision Admitted(Account account, QueryBudget budget, long left) =>
        new(true, Remaining(budget.Daily, account.DailyUsed, left), Remaining(budget.Monthly, account.MonthlyUsed, left), null, account.Day);

    private static long? Remaining(long? limit, long usedInTable, long unclaimed) => limit is { } l ? Math.Max(0, l - usedInTable + unclaimed) : null;

    private static TimeSpan RetryAfter(Account account, QueryBudget budget, DateTimeOffset now)
    {
        var day = account.Day;
        var nextDay = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var nextMonth = new DateTimeOffset(new DateOnly(day.Year, day.Month, 1).AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var monthExhausted = budget.Monthly is { } monthly && account.MonthlyUsed >= monthly;
        return (monthExhausted ? nextMonth : nextDay) - now;
    }

    private async Task ClaimAsync(Account account, QueryBudget budget, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claim = await permits.ClaimAsync(account.Subject, account.Day, budget, account.NextBlock(now), now, cancellationToken);
        (account.DailyUsed, account.MonthlyUsed, account.ExhaustedUntil) = (claim.DailyUsed, claim.MonthlyUsed, claim.Granted == 0 ? now + RecheckAfter : null);
        account.Grant(claim.Granted);
    }

    private async Task ReturnAsync(Account account, CancellationToken cancellationToken)
    {
        // Taken first, so that no request admitted from them while the update runs is returned too.
        var unused = account.TakeAll();
        if (unused > 0)
        {
            await permits.ReturnAsync(account.Subject, account.Day, unused, clock.GetUtcNow(), cancellationToken);
        }
    }

    private sealed class Account(string subject)
    {
        public string Subject { get; } = subject;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public DateOnly Day { get; private set; }

        private long _permits;

        /// <summary>Permits claimed from the store and not yet used.</summary>
        public long Permits => Interlocked.Read(ref _permits);

        /// <summary>Takes a permit if there is one; <paramref name="left"/> is how many remain after it.</summary>
        public bool TryTake(out long left)
        {
            var seen = Interlocked.Read(ref _permits);
            while (seen > 0)
            {
                var before = Interlocked.CompareExchange(ref _permits, seen - 1, seen);
                if (before == seen)
                {
                    left = seen - 1;
                    return true;
                }

                seen = before;
            }

            left = 0;
            return false;
        }

        /// <summary>Adds claimed or refunded permits; only a claim or a refund, under the gate, adds.</summary>
        public void Grant(long permits) => Interlocked.Add(ref _permits, permits);

        /// <summary>Takes every unused permit, to return them.</summary>
        public long TakeAll() => Interlocked.Exchange(ref _permits, 0);

        /// <summary>Today's and this month's permits claimed by every server as of the last claim, this server's unused ones included.</summary>
        public long DailyUsed { get; set; }

        public long MonthlyUsed { get; set; }

        /// <summary>When a claim found nothing left: until when not to ask the store again.</summary>
        public DateTimeOffset? ExhaustedUntil { get; set; }

        private long _block = MinBlockSize;
        private DateTimeOffset? _lastClaim;

        /// <summary>How many permits to claim now, from how long the last block lasted.</summary>
        public long NextBlock(DateTimeOffset now)
        {
            if (_lastClaim is { } last)
            {
                var lasted = now - last;
                _block = lasted < FastBlock ? Math.Min(_block * 2, MaxBlockSize) : lasted > SlowBlock ? Math.Max(_block / 2, MinBlockSize) : _block;
            }

            _lastClaim = now;
            return _block;
        }

        public void StartDay(DateOnly day) => (Day, DailyUsed, ExhaustedUntil) = (day, 0, null);
    }
}
