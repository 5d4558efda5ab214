using System.Data.Common;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Notify;

/// <summary>
/// Reads and writes <c>_sluice.notifications</c>: one row per delivery of a notification to a
/// channel, written once it has ended (delivered or failed), with its attempts and last error.
/// </summary>
public static class NotificationStore
{
    /// <summary>One row per delivery.</summary>
    public static readonly TableName Table = new(MetadataSchema.Name, "notifications");

    private const string Columns =
        "id, channel, channel_type, kind, dedup_key, severity, title, occurred_at, status, attempts, last_error, http_status, exit_code, started_at, completed_at, duration_ms";

    private const int LongestError = 4000;

    /// <summary>Records <paramref name="delivery"/>.</summary>
    public static Task RecordAsync(IWarehouseSession session, Delivery delivery, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"insert into {session.Warehouse.Dialect.Quote(Table)} ({Columns}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            [
                delivery.Id, delivery.Channel, delivery.ChannelType, delivery.Kind, delivery.DedupKey, delivery.Severity.Text(), delivery.Title,
                delivery.OccurredAt, delivery.Status, delivery.Attempts, Truncate(delivery.LastError), delivery.HttpStatus, delivery.ExitCode,
                delivery.StartedAt, delivery.CompletedAt, (long)(delivery.CompletedAt - delivery.StartedAt).TotalMilliseconds,
            ],
            cancellationToken);

    /// <summary>
    /// Whether a notification of <paramref name="kind"/> with <paramref name="dedupKey"/> was
    /// delivered to <paramref name="channel"/>: for senders that must not tell the same twice.
    /// </summary>
    public static async Task<bool> WasDeliveredAsync(IWarehouseSession session, string channel, string kind, string dedupKey, CancellationToken cancellationToken)
    {
        var count = await session.ScalarAsync(
            $"select count(*) from {session.Warehouse.Dialect.Quote(Table)} where dedup_key = $1 and channel = $2 and kind = $3 and status = $4",
            [dedupKey, channel, kind, DeliveryStatus.Delivered],
            cancellationToken);
        return Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>The latest deliveries, newest first; to one channel when <paramref name="channel"/> is given.</summary>
    public static async Task<IReadOnlyList<Delivery>> LatestAsync(IWarehouseSession session, string? channel, int limit, CancellationToken cancellationToken)
    {
        var filter = channel is null ? string.Empty : "where channel = $2 ";
        await using var reader = await session.QueryAsync(
            $"select {Columns} from {session.Warehouse.Dialect.Quote(Table)} {filter}order by completed_at desc, id desc limit $1",
            channel is null ? [limit] : [limit, channel],
            cancellationToken);
        return await ReadAsync(reader, cancellationToken);
    }

    /// <summary>Each channel's latest delivery, by channel name.</summary>
    public static async Task<IReadOnlyDictionary<string, Delivery>> LastByChannelAsync(IWarehouseSession session, CancellationToken cancellationToken)
    {
        var dialect = session.Warehouse.Dialect;
        await using var reader = await session.QueryAsync(
            dialect.FirstPerGroup(Columns, dialect.Quote(Table), "1 = 1", "channel", "completed_at desc, id desc"),
            null,
            cancellationToken);
        return (await ReadAsync(reader, cancellationToken)).ToDictionary(d => d.Channel, StringComparer.Ordinal);
    }

    private static async Task<List<Delivery>> ReadAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var deliveries = new List<Delivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(new Delivery(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                NotificationSeverities.Parse(reader.GetString(5)),
                reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetString(8),
                reader.GetInt32(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetInt32(11),
                reader.IsDBNull(12) ? null : reader.GetInt32(12),
                reader.GetFieldValue<DateTimeOffset>(13),
                reader.GetFieldValue<DateTimeOffset>(14))
            {
                Recorded = true,
            });
        }

        return deliveries;
    }

    private static string? Truncate(string? text) => text is null || text.Length <= LongestError ? text : text[..LongestError] + "…";
}
