namespace Sluice.Server.Access;

/// <summary>What a claim of permits got, and the period's counts after it.</summary>
/// <param name="Granted">Permits claimed: up to the block asked for, never more than the daily and monthly limits leave; 0 when spent.</param>
/// <param name="DailyUsed">Permits of the day claimed by every server, this claim's included.</param>
/// <param name="MonthlyUsed">Permits of the month claimed by every server, this claim's included.</param>
internal readonly record struct PermitClaim(long Granted, long DailyUsed, long MonthlyUsed);

/// <summary>A subject's permits claimed in one period, as <c>/api/v1/budgets</c> lists them.</summary>
/// <param name="Subject">A tenant (<c>tenant:…</c>) or a keyed subject.</param>
/// <param name="Period"><c>daily</c> or <c>monthly</c>.</param>
/// <param name="PeriodStart">The period's first day (UTC).</param>
/// <param name="Limit">The period's limit when last claimed from; null for none.</param>
/// <param name="Used">Permits claimed by every server (a server's unused permits go back when it stops).</param>
/// <param name="UpdatedAt">When the count last changed.</param>
internal sealed record BudgetUse(string Subject, string Period, DateOnly PeriodStart, long? Limit, long Used, DateTimeOffset? UpdatedAt);

/// <summary>
/// Where the servers of a project count the permits they claim from budgets: the warehouse's
/// <c>_sluice.query_budgets</c> (<see cref="WarehousePermits"/>) or a shared Redis
/// (<see cref="RedisPermits"/>). A claim is atomic against every other server's: two servers
/// never get the same permit, and the permits claimed never pass a limit.
/// </summary>
internal interface IBudgetPermits
{
    /// <summary>Claims up to <paramref name="block"/> permits of <paramref name="subject"/>'s <paramref name="day"/> and its month.</summary>
    Task<PermitClaim> ClaimAsync(string subject, DateOnly day, QueryBudget budget, long block, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives back <paramref name="unused"/> permits of <paramref name="day"/> and its month.</summary>
    Task ReturnAsync(string subject, DateOnly day, long unused, DateTimeOffset now, CancellationToken cancellationToken);
}
