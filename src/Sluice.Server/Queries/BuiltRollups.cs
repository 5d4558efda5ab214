using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Models.Materialize;
using Sluice.Server.Catalog;

namespace Sluice.Server.Queries;

/// <summary>
/// Which rollups the warehouse holds as the project declares them, read from
/// <c>_sluice.rollups</c> once per data version: a build that rebuilds a rollup changes the
/// version in the same transaction, so a rollup is never used in a state its model is not in.
/// </summary>
public sealed partial class BuiltRollups(IWarehouse warehouse, DataVersions versions, ILogger<BuiltRollups> logger)
{
    private readonly Lock _gate = new();
    private Snapshot? _read;

    /// <summary>Whether <paramref name="rollup"/> was built from its declared definition (and has not failed a read since).</summary>
    public async Task<bool> IsBuiltAsync(ServedRollup rollup)
    {
        var snapshot = await SnapshotAsync();
        var table = rollup.Table.ToString();
        return (await snapshot.Built).TryGetValue(table, out var definition) && definition == rollup.Definition.Definition
            && !snapshot.Unreadable.ContainsKey(table);
    }

    /// <summary>
    /// Sets <paramref name="rollup"/> aside until the data version changes, as when it was
    /// recorded as built but could not be read (dropped by hand, say): the rows answer meanwhile.
    /// </summary>
    public void SetAside(ServedRollup rollup, WarehouseException error)
    {
        lock (_gate)
        {
            _read?.Unreadable.TryAdd(rollup.Table.ToString(), true);
        }

        CouldNotRead(logger, rollup.Table.ToString(), error.Message.Split('\n', 2)[0].Trim());
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Rollup {Rollup} could not be read ({Error}); trends it would answer come from the model's rows until the next build.")]
    private static partial void CouldNotRead(ILogger logger, string rollup, string error);

    private async Task<Snapshot> SnapshotAsync()
    {
        var version = await versions.CurrentAsync();
        lock (_gate)
        {
            if (_read is not { } known || known.Version != version || known.Built.IsFaulted)
            {
                _read = new Snapshot(version, ReadAsync(), new ConcurrentDictionary<string, bool>(StringComparer.Ordinal));
            }

            return _read;
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> ReadAsync()
    {
        try
        {
            return await warehouse.ReadAsync(async (session, cancellationToken) =>
            {
                var built = new Dictionary<string, string>(StringComparer.Ordinal);
                await using var reader = await session.QueryAsync($"select rollup_table, definition from {warehouse.Dialect.Quote(Rollups.StateTable)}", cancellationToken: cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    built[reader.GetString(0)] = reader.GetString(1);
                }

                return built;
            });
        }
        catch (WarehouseException e) when (!e.IsTransient)
        {
            // A warehouse not yet migrated to hold rollups has none; the models answer. A warehouse
            // that does not answer fails this read, which the next request makes again.
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
    }

    // What _sluice.rollups held at one data version, and the rollups that failed a read since.
    private sealed record Snapshot(string Version, Task<IReadOnlyDictionary<string, string>> Built, ConcurrentDictionary<string, bool> Unreadable);
}
