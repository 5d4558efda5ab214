using Sluice.Core.Warehouse;
using Sluice.DuckDb;

namespace Sluice.Warehouses.DuckDb;

internal sealed class DuckDbWarehouseTransaction(DuckDbTransaction transaction, Action onEnd) : IWarehouseTransaction
{
    private bool _ended;

    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            transaction.Commit();
        }
        catch (DuckDbException e)
        {
            throw DuckDbErrors.Translate(e, "committing");
        }
        finally
        {
            End();
        }

        return Task.CompletedTask;
    }

    public Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            transaction.Rollback();
        }
        finally
        {
            End();
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        transaction.Dispose();
        End();
        return ValueTask.CompletedTask;
    }

    private void End()
    {
        if (!_ended)
        {
            _ended = true;
            onEnd();
        }
    }
}
