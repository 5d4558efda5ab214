using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Operate.Events;
using Sluice.Operate.Notify;
using Sluice.Server.Queries;
using Sluice.Sync.Engine;

namespace Sluice.Cli.Tasks;

/// <summary>
/// Sends <c>analytics.synced</c> after a sync in which every table synced, to the enabled channels
/// that <c>events:</c> names, through the notifier that alerts and failed jobs use: the channel's
/// timeout and retries, a record per channel in <c>_sluice.notifications</c>. A delivery that
/// fails is a warning on standard error, never the sync's failure: its data is committed.
/// </summary>
internal static class SyncEvents
{
    public static async Task SendAsync(
        CliContext context, SluiceProject project, IWarehouse warehouse, ProjectEvents events, string runId, IReadOnlyList<TableSyncResult> results, CancellationToken cancellationToken)
    {
        var channels = events.ChannelsFor(EventNames.AnalyticsSynced).Where(c => c.Enabled).ToList();
        if (channels.Count == 0)
        {
            return;
        }

        var finishedAt = DateTimeOffset.UtcNow;
        var notification = SyncedEvent.Create(project.Name, runId, finishedAt, await DataVersionAsync(warehouse), [.. results.Select(Table)]);
        using var notifier = new Notifier(project.Name, warehouse.OpenSessionAsync, TimeProvider.System, e => Report(context, e));
        foreach (var delivery in await notifier.SendAsync(notification, channels, cancellationToken))
        {
            var attempts = $"{delivery.Attempts} attempt{(delivery.Attempts == 1 ? "" : "s")}";
            await context.Error.WriteLineAsync(delivery.Delivered
                ? $"{EventNames.AnalyticsSynced} sent to {delivery.Channel} ({attempts})."
                : SecretMasker.Mask(
                    $"warning: {EventNames.AnalyticsSynced} was not delivered to {delivery.Channel} ({attempts}): {delivery.LastError}; the sync itself succeeded"
                    + (delivery.Recorded ? $", and the failed delivery is recorded in {NotificationStore.Table} (sluice channels shows it)." : ".")));
        }
    }

    // The version the API's answers carry after this sync, so that a consumer can tell whether an
    // answer it holds is older. Reading it is a nicety: the event goes without it when it fails.
    private static async Task<string?> DataVersionAsync(IWarehouse warehouse)
    {
        try
        {
            return await new DataVersions(warehouse).CurrentAsync();
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static SyncedTable Table(TableSyncResult result) => new(
        result.Source,
        result.Table,
        RawTables.For(result.Source, result.Table).ToString(),
        result.Mode.StartsWith("csv", StringComparison.Ordinal) ? "csv" : result.Mode,
        result.RowsRead,
        result.RowsUpserted,
        result.RowsDeleted,
        result.WatermarkAfter);

    private static void Report(CliContext context, DeliveryEvent e)
    {
        var line = e.Kind switch
        {
            DeliveryEventKind.Retrying => $"{EventNames.AnalyticsSynced} to {e.Channel}: attempt {e.Attempt} failed: {e.Error}; trying again in {e.RetryIn!.Value.TotalSeconds:0.###} s",
            DeliveryEventKind.NotRecorded => $"note: {e.Error}",
            _ => null,
        };
        if (line is not null)
        {
            context.Error.WriteLine(SecretMasker.Mask(line));
        }
    }
}
