using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Server.Catalog;
using Sluice.Warehouses.Metadata;

namespace Sluice.Server.Queries;

/// <summary>
/// Which rollups the warehouse holds as the project declares them, read from
/// <c>_sluice.rollups</c> once per data version: a build that rebuilds a rollup changes the
/// version in the same transaction, so a rollup is never used in a state its model is not in.
/// </summary>
public sealed class BuiltRollups(IWarehouse warehouse, DataVersions versions)
{
    private readonly Lock _gate = new();
    private (string Version, Task<IReadOnlyDictionary<string, string>> Built)? _read;

    /// <summary>Whether <paramref name="rollup"/> was built from its declared definition.</summary>
    public async Task<bool> IsBuiltAsync(ServedRollup rollup)
    {
        var built = await BuiltAsync();
        return built.TryGetValue(rollup.Table.ToString(), out var definition) && definition == rollup.Definition.Definition;
    }

    /// <summary>Forgets what was read, as when a rollup could not be queried: the next question reads again.</summary>
    public void Forget()
    {
        lock (_gate)
        {
            _read = null;
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> BuiltAsync()
    {
        var version = await versions.CurrentAsync();
        Task<IReadOnlyDictionary<string, string>> read;
        lock (_gate)
        {
            if (_read is not { } known || known.Version != version || known.Built.IsFaulted)
            {
                _read = (version, ReadAsync());
            }

            read = _read.Value.Built;
        }

        return await read;
    }

    private async Task<IReadOnlyDictionary<string, string>> ReadAsync()
    {
        var built = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            await using var session = await warehouse.OpenSessionAsync();
            await using var reader = await session.QueryAsync($"select rollup_table, definition from {warehouse.Dialect.Quote(new TableName(MetadataSchema.Name, "rollups"))}");
            while (await reader.ReadAsync())
            {
                built[reader.GetString(0)] = reader.GetString(1);
            }
        }
        catch (WarehouseException)
        {
            // A warehouse not yet migrated to hold rollups has none; the models answer.
            built.Clear();
        }

        return built;
    }
}
