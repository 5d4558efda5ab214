using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// A span of work on ClickHouse, which has no transactions: each statement has taken effect when
/// it returns, so committing and rolling back only end the span. Callers that must undo work on
/// failure read <see cref="WarehouseCapabilities.Transactions"/> and arrange it themselves.
/// </summary>
internal sealed class ClickHouseWarehouseTransaction(Action ended) : IWarehouseTransaction
{
    private bool _ended;

    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        End();
        return Task.CompletedTask;
    }

    public Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        End();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        End();
        return ValueTask.CompletedTask;
    }

    private void End()
    {
        if (!_ended)
        {
            _ended = true;
            ended();
        }
    }
}
