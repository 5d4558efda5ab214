using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sluice.Operate.Notify;

namespace Sluice.Operate.Events;

/// <summary>One table of a sync, as <c>analytics.synced</c> tells of it.</summary>
/// <param name="Source">The source's name.</param>
/// <param name="Table">The table's name in the source (for CSV, the table its files load into).</param>
/// <param name="WarehouseTable">Where it landed: <c>raw.&lt;source&gt;__&lt;table&gt;</c>.</param>
/// <param name="Mode">incremental, full, full-refresh or csv.</param>
/// <param name="RowsRead">Rows read from the source.</param>
/// <param name="RowsUpserted">Rows inserted or updated in the warehouse: the merge by key does not tell the two apart.</param>
/// <param name="RowsDeleted">Rows newly marked deleted.</param>
/// <param name="Watermark">The cursor's watermark after the sync, when the table has a cursor.</param>
public sealed record SyncedTable(string Source, string Table, string WarehouseTable, string Mode, long RowsRead, long RowsUpserted, long RowsDeleted, string? Watermark);

/// <summary>
/// The <c>analytics.synced</c> event, sent after every sync in which every table synced, so that
/// downstream consumers (caches, reports) refresh. Its body, the same on every channel but Slack
/// (docs/sync.md shows it whole):
/// <code>
/// {"event": "analytics.synced", "version": 1, "project": "teei", "run_id": "…",
///  "finished_at": "2026-03-02T03:15:00.000Z", "data_version": "9f2c…",
///  "tables": [{"source": "app", "table": "companies", "warehouse_table": "raw.app__companies", "mode": "incremental",
///              "rows_read": 12, "rows_upserted": 12, "rows_deleted": 0, "watermark": "…"}],
///  "rows_upserted": 12, "rows_deleted": 0}
/// </code>
/// Fields may be added within a version; one removed, renamed or changing meaning raises it.
/// </summary>
public static class SyncedEvent
{
    /// <summary>The body's schema version, its <c>version</c> field.</summary>
    public const int Version = 1;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>
    /// The notification that carries the event: its body for webhook, command and NATS channels,
    /// a short message for Slack, and a record in <c>_sluice.notifications</c> per channel.
    /// </summary>
    /// <param name="project">The project's name.</param>
    /// <param name="runId">The sync's id: the same in every channel's copy, so that a consumer can tell a repeat.</param>
    /// <param name="finishedAt">When the sync finished.</param>
    /// <param name="dataVersion">The warehouse's data version after the sync, as the API's <c>meta.data_version</c> gives it; null when it could not be read.</param>
    /// <param name="tables">The tables synced.</param>
    public static Notification Create(string project, string runId, DateTimeOffset finishedAt, string? dataVersion, IReadOnlyList<SyncedTable> tables)
    {
        var upserted = tables.Sum(t => t.RowsUpserted);
        var deleted = tables.Sum(t => t.RowsDeleted);
        var fields = new List<NotificationField>
        {
            new("project", project),
            new("run", runId),
            new("tables", tables.Count.ToString(CultureInfo.InvariantCulture)),
            new("rows_upserted", upserted.ToString(CultureInfo.InvariantCulture)),
            new("rows_deleted", deleted.ToString(CultureInfo.InvariantCulture)),
        };
        if (dataVersion is not null)
        {
            fields.Add(new("data_version", dataVersion));
        }

        return new Notification(
            EventNames.AnalyticsSynced,
            $"Synced {tables.Count} table{(tables.Count == 1 ? "" : "s")} of {project}",
            NotificationSeverity.Info,
            string.Join('\n', tables.Select(t => $"{t.WarehouseTable}: {t.RowsUpserted} upserted, {t.RowsDeleted} deleted")),
            finishedAt,
            $"{EventNames.AnalyticsSynced}:{runId}")
        {
            Fields = fields,
            Event = new NotificationEvent(EventNames.AnalyticsSynced, Write(project, runId, finishedAt, dataVersion, tables)),
        };
    }

    /// <summary>The event's JSON body, UTF-8 encoded.</summary>
    public static byte[] Write(string project, string runId, DateTimeOffset finishedAt, string? dataVersion, IReadOnlyList<SyncedTable> tables)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartObject();
            json.WriteString("event", EventNames.AnalyticsSynced);
            json.WriteNumber("version", Version);
            json.WriteString("project", project);
            json.WriteString("run_id", runId);
            json.WriteString("finished_at", NotificationBody.Timestamp(finishedAt));
            if (dataVersion is null)
            {
                json.WriteNull("data_version");
            }
            else
            {
                json.WriteString("data_version", dataVersion);
            }

            json.WriteStartArray("tables");
            foreach (var table in tables)
            {
                json.WriteStartObject();
                json.WriteString("source", table.Source);
                json.WriteString("table", table.Table);
                json.WriteString("warehouse_table", table.WarehouseTable);
                json.WriteString("mode", table.Mode);
                json.WriteNumber("rows_read", table.RowsRead);
                json.WriteNumber("rows_upserted", table.RowsUpserted);
                json.WriteNumber("rows_deleted", table.RowsDeleted);
                if (table.Watermark is null)
                {
                    json.WriteNull("watermark");
                }
                else
                {
                    json.WriteString("watermark", table.Watermark);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("rows_upserted", tables.Sum(t => t.RowsUpserted));
            json.WriteNumber("rows_deleted", tables.Sum(t => t.RowsDeleted));
            json.WriteEndObject();
        }

        return stream.ToArray();
    }
}
