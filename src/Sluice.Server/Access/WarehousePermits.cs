using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Server.Access;

/// <summary>
/// Permits counted in <c>_sluice.query_budgets</c>, with updates guarded by the limit inside a
/// transaction: the budgets of servers without a shared Redis. Needs an engine with
/// transactions and <c>on conflict</c> (DuckDB, PostgreSQL).
/// </summary>
internal sealed class WarehousePermits(IWarehouse warehouse) : IBudgetPermits
{
    private const string Daily = "daily";
    private const string Monthly = "monthly";

    private readonly string _table = warehouse.Dialect.Quote(new TableName(MetadataSchema.Name, "query_budgets"));

    public async Task<PermitClaim> ClaimAsync(string subject, DateOnly day, QueryBudget budget, long block, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await TryClaimAsync(subject, day, budget, block, now, cancellationToken);
        }
        catch (WarehouseException e) when (e.IsConnectionFailure && !cancellationToken.IsCancellationRequested)
        {
            // A restarted server closes the pooled connections, and the claim is often the first
            // to meet one; it starts over on a new connection. That is safe although it writes: the
            // insert does nothing the second time, and a block whose commit went through unseen
            // is lost, counted as used, never granted twice.
            return await TryClaimAsync(subject, day, budget, block, now, cancellationToken);
        }
    }

    public async Task ReturnAsync(string subject, DateOnly day, long unused, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var month = new DateOnly(day.Year, day.Month, 1);
        await using var session = await warehouse.OpenSessionAsync(cancellationToken);
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        foreach (var (period, start) in new[] { (Daily, day), (Monthly, month) })
        {
            await session.ExecuteAsync(
                $"update {_table} set queries_used = queries_used - $4, updated_at = $5 where subject = $1 and period = $2 and period_start = $3",
                [subject, period, start, unused, now],
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<PermitClaim> TryClaimAsync(string subject, DateOnly day, QueryBudget budget, long block, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var month = new DateOnly(day.Year, day.Month, 1);
        await using var session = await warehouse.OpenSessionAsync(cancellationToken);
        foreach (var (period, start, limit) in new[] { (Daily, day, budget.Daily), (Monthly, month, budget.Monthly) })
        {
            await session.ExecuteAsync(
                $"insert into {_table} (subject, period, period_start, query_limit, queries_used, updated_at) values ($1, $2, $3, $4, 0, $5) on conflict (subject, period, period_start) do nothing",
                [subject, period, start, limit, now],
                cancellationToken);
        }

        // Another server may claim between the read and the update; the guard then fails and
        // the claim starts over from a fresh read.
        while (true)
        {
            var daily = await UsedAsync(session, subject, Daily, day, cancellationToken);
            var monthly = await UsedAsync(session, subject, Monthly, month, cancellationToken);
            var size = Math.Min(block, Math.Min(budget.Daily is { } d ? d - daily : long.MaxValue, budget.Monthly is { } m ? m - monthly : long.MaxValue));
            if (size <= 0)
            {
                return new PermitClaim(0, daily, monthly);
            }

            await using var transaction = await session.BeginTransactionAsync(cancellationToken);
            if (await TakeAsync(session, subject, Daily, day, budget.Daily, size, now, cancellationToken)
                && await TakeAsync(session, subject, Monthly, month, budget.Monthly, size, now, cancellationToken))
            {
                await transaction.CommitAsync(cancellationToken);
                return new PermitClaim(size, daily + size, monthly + size);
            }
        }
    }

    private async Task<long> UsedAsync(IWarehouseSession session, string subject, string period, DateOnly start, CancellationToken cancellationToken) =>
        Convert.ToInt64(
            await session.ScalarAsync($"select queries_used from {_table} where subject = $1 and period = $2 and period_start = $3", [subject, period, start], cancellationToken),
            System.Globalization.CultureInfo.InvariantCulture);

    private async Task<bool> TakeAsync(IWarehouseSession session, string subject, string period, DateOnly start, long? limit, long size, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var guard = limit is null ? string.Empty : " and queries_used + $4 <= $5";
        return await session.ExecuteAsync(
            $"update {_table} set queries_used = queries_used + $4, query_limit = $5, updated_at = $6 where subject = $1 and period = $2 and period_start = $3{guard}",
            [subject, period, start, size, limit, now],
            cancellationToken) == 1;
    }
}
