namespace Sluice.Core.Warehouse;

/// <summary>A warehouse transaction; disposing it without <see cref="CommitAsync"/> rolls back.</summary>
public interface IWarehouseTransaction : IAsyncDisposable
{
    /// <summary>Commits.</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);

    /// <summary>Rolls back.</summary>
    Task RollbackAsync(CancellationToken cancellationToken = default);
}
