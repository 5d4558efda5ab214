using Sluice.Core.Project;
using Sluice.Core.Warehouse;

namespace Sluice.Server.Queries;

/// <summary>
/// Every read the server makes of the warehouse while answering requests goes through
/// <see cref="ReadAsync"/>: on a session of its own and, when the connection turns out to be
/// broken before the read has its answer (a pooled connection that a restarting PostgreSQL
/// closed, a reset socket), once more on a new one. Answers are written only once read in full,
/// so nothing has reached the client and the retry is invisible to it. A read that fails again,
/// or for another reason, throws; a warehouse that does not answer is a 503.
/// </summary>
internal static class WarehouseReads
{
    /// <summary>
    /// Opens a session and runs <paramref name="read"/> on it, again on a new session if the
    /// connection failed. <paramref name="read"/> may run twice, so it must only read.
    /// </summary>
    public static async Task<T> ReadAsync<T>(this IWarehouse warehouse, Func<IWarehouseSession, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        try
        {
            return await OnceAsync(warehouse, read, cancellationToken);
        }
        catch (WarehouseException e) when (e.IsConnectionFailure && !cancellationToken.IsCancellationRequested)
        {
            // The adapter has let its idle connections go with the broken one, so this session's is new.
            return await OnceAsync(warehouse, read, cancellationToken);
        }
    }

    private static async Task<T> OnceAsync<T>(IWarehouse warehouse, Func<IWarehouseSession, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var session = await warehouse.OpenSessionAsync(cancellationToken);
        return await read(session, cancellationToken);
    }
}
