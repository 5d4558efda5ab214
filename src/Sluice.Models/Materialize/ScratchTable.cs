using Sluice.Core.Warehouse;

namespace Sluice.Models.Materialize;

/// <summary>
/// A table that holds a build's intermediate rows beside the model's own: whatever a crashed
/// run left under its name is dropped first, and the table is dropped when the build is done
/// (unless a transaction is still open, whose rollback takes care of it).
/// </summary>
internal sealed class ScratchTable : IAsyncDisposable
{
    private readonly IWarehouseSession _session;

    private ScratchTable(IWarehouseSession session, TableName name)
    {
        _session = session;
        Name = name;
    }

    /// <summary>The table's name.</summary>
    public TableName Name { get; }

    /// <summary>Claims the name <paramref name="name"/>, dropping what is there.</summary>
    public static async Task<ScratchTable> ClaimAsync(IWarehouseSession session, TableName name, CancellationToken cancellationToken)
    {
        await Relations.DropOwnTableAsync(session, name, cancellationToken);
        return new ScratchTable(session, name);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_session.InTransaction)
        {
            await Relations.DropOwnTableAsync(_session, Name, CancellationToken.None);
        }
    }
}
