using System.Globalization;
using StackExchange.Redis;
using Sluice.Server.Cache;

namespace Sluice.Server.Access;

/// <summary>
/// Permits counted in the shared Redis of <c>serve.cache</c>: one Lua script reads the day's
/// and the month's counts, grants what both limits leave (up to the block asked for) and adds it
/// to both, atomically, since Redis runs a script alone. Works whatever the warehouse (ClickHouse
/// has neither transactions nor <c>on conflict</c>). The counts expire a day after their period
/// ends by the server's clock: relative times, since Redis's own clock may differ from it. The
/// scripts also note each count's limit and time of change in an index, which lists the budgets
/// for <c>/api/v1/budgets</c>. While Redis does not answer, claims throw <see cref="RedisUnavailableException"/>.
/// </summary>
internal sealed class RedisPermits(RedisStore store, RedisKeys keys) : IBudgetPermits
{
    // KEYS: daily, monthly, the index. ARGV: block, daily limit (-1: none), monthly limit (-1:
    // none), seconds the daily and the monthly count live, now in Unix milliseconds.
    // Returns {granted, daily used, monthly used}.
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
        redis.call('HSET', KEYS[3], KEYS[1], ARGV[2] .. ' ' .. ARGV[6], KEYS[2], ARGV[3] .. ' ' .. ARGV[6])
        redis.call('EXPIRE', KEYS[3], ARGV[5])
        return {size, daily, monthly}
        """;

    // KEYS: daily, monthly, the index. ARGV: permits to give back, now in Unix milliseconds.
    // A count that expired stays gone.
    private const string Return = """
        for i = 1, 2 do
            local used = tonumber(redis.call('GET', KEYS[i]) or '0')
            if used > 0 then
                redis.call('DECRBY', KEYS[i], math.min(used, tonumber(ARGV[1])))
                local listed = redis.call('HGET', KEYS[3], KEYS[i])
                if listed then redis.call('HSET', KEYS[3], KEYS[i], string.match(listed, '^%S+') .. ' ' .. ARGV[2]) end
            end
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
                [keys.Daily(subject, day), keys.Monthly(subject, day), keys.BudgetIndex],
                [block, budget.Daily ?? -1, budget.Monthly ?? -1, Seconds(dayEnd.AddDays(1) - now), Seconds(monthEnd.AddDays(1) - now), now.ToUnixTimeMilliseconds()]))!;
            return new PermitClaim((long)result[0], (long)result[1], (long)result[2]);
        });
    }

    private static long Seconds(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalSeconds));

    public Task ReturnAsync(string subject, DateOnly day, long unused, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.RunAsync(db => db.ScriptEvaluateAsync(Return, [keys.Daily(subject, day), keys.Monthly(subject, day), keys.BudgetIndex], [unused, now.ToUnixTimeMilliseconds()]));

    /// <summary>
    /// Every count still in Redis with its limit and last change, in no order. Counts that expired
    /// leave the index here.
    /// </summary>
    public Task<IReadOnlyList<BudgetUse>> ListAsync() => store.RunAsync<IReadOnlyList<BudgetUse>>(async db =>
    {
        var listed = await db.HashGetAllAsync(keys.BudgetIndex);
        var counts = listed.Length == 0 ? [] : await db.StringGetAsync([.. listed.Select(e => (RedisKey)(string)e.Name!)]);
        var uses = new List<BudgetUse>(listed.Length);
        var gone = new List<RedisValue>();
        for (var i = 0; i < listed.Length; i++)
        {
            var key = (string)listed[i].Name!;
            if (counts[i].IsNull || !keys.TryReadBudget(key, out var subject, out var period, out var start))
            {
                gone.Add(listed[i].Name);
                continue;
            }

            var fields = ((string)listed[i].Value!).Split(' ');
            var limit = long.Parse(fields[0], CultureInfo.InvariantCulture);
            uses.Add(new BudgetUse(
                subject,
                period,
                start,
                limit < 0 ? null : limit,
                (long)counts[i],
                fields.Length > 1 ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(fields[1], CultureInfo.InvariantCulture)) : null));
        }

        if (gone.Count > 0)
        {
            await db.HashDeleteAsync(keys.BudgetIndex, [.. gone]);
        }

        return uses;
    });
}
