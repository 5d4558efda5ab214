using Npgsql;
using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.Postgres;

internal sealed class PostgresWarehouseTransaction(PostgresWarehouse warehouse, NpgsqlTransaction transaction, Action onEnd) : IWarehouseTransaction
{
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await transaction.CommitAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw warehouse.Translate(e, "committing");
        }
        finally
        {
            onEnd();
        }
    }

    public async Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await transaction.RollbackAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw warehouse.Translate(e, "rolling back");
        }
        finally
        {
            onEnd();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        onEnd();
    }
}
