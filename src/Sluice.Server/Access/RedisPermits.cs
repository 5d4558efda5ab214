using StackExchange.Redis;
using Sluice.Server.Cache;

namespace Sluice.Server.Access;

/// <summary>
/// Permits counted in the shared Redis of <c>serve.cache</c>: one Lua script reads the day's
/// and the month's counts, grants what both limits leave (up to the block asked for) and adds it
/// to both, atomically, since Redis runs a script alone. Works whatever the warehouse (ClickHouse
/// has neither transactions nor <c>on conflict</c>). The counts expire a day after their period
/// ends by the server's clock: relative times, since Redis's own clock may differ from it. While Redis does not answer, claims throw <see cref="RedisUnavailableException"/>.
/// </summary>
internal sealed class RedisPermits(RedisStore store, RedisKeys keys) : IBudgetPermits
{
    // KEYS: daily, monthly. ARGV: block, daily limit (-1: none), monthly limit (-1: none),
    // seconds the daily and the monthly count live. Returns {granted, daily used, monthly used}.
    private const string Claim = """
        local daily = tonumber(redis.call('GET', KEYS[1]) or '0')
        local monthly = tonumber(redis.call('GET', KEYS[2]) or '0')
        local size = tonumber(ARGV[1])
        local dailyLimit = tonumber(ARGV[2])
        local monthlyLimit = tonumber(ARGV[3])
        if dailyLimit >= 0 then size = math.min(size, dailyLimit - daily) end
        if monthlyLimit >= 0 then size = math.min(size, monthlyLimit - monthly) end
        if size <= 0 then return {0, daily, monthly} end
        daily = redis.call('INCRBY', KEYS[1], size)
        monthly = redis.call('INCRBY', KEYS[2], size)
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        redis.call('EXPIRE', KEYS[2], ARGV[5])
        return {size, daily, monthly}
        """;

    // KEYS: daily, monthly. ARGV: permits to give back. A count that expired stays gone.
    private const string Return = """
        for i = 1, 2 do
            local used = tonumber(redis.call('GET', KEYS[i]) or '0')
            if used > 0 then redis.call('DECRBY', KEYS[i], math.min(used, tonumber(ARGV[1]))) end
        end
        return 0
        """;

    public Task<PermitClaim> ClaimAsync(string subject, DateOnly day, QueryBudget budget, long block, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dayEnd = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var monthEnd = new DateTimeOffset(new DateOnly(day.Year, day.Month, 1).AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return store.RunAsync(async db =>
        {
            var result = (RedisResult[])(await db.ScriptEvaluateAsync(
                Claim,
                [keys.Daily(subject, day), keys.Monthly(subject, day)],
                [block, budget.Daily ?? -1, budget.Monthly ?? -1, Seconds(dayEnd.AddDays(1) - now), Seconds(monthEnd.AddDays(1) - now)]))!;
            return new PermitClaim((long)result[0], (long)result[1], (long)result[2]);
        });
    }

    private static long Seconds(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalSeconds));

    public Task ReturnAsync(string subject, DateOnly day, long unused, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.RunAsync(db => db.ScriptEvaluateAsync(Return, [keys.Daily(subject, day), keys.Monthly(subject, day)], [unused]));
}
