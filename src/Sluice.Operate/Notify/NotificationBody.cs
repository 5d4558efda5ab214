using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sluice.Operate.Notify;

/// <summary>
/// The JSON document a webhook channel POSTs and a command channel reads on standard input
/// (docs/notifications.md shows it whole):
/// <code>
/// {"version": 1, "id": "…", "kind": "job_failed", "severity": "error", "title": "…", "text": "…",
///  "fields": {"schedule": "nightly"}, "links": [{"title": "…", "url": "…"}],
///  "occurred_at": "2026-03-02T03:15:00Z", "dedup_key": "…", "project": "…", "channel": "…"}
/// </code>
/// Fields may be added within a version; a field that is removed, renamed or changes meaning
/// raises <see cref="Version"/>.
/// </summary>
public static class NotificationBody
{
    /// <summary>The body's schema version, its <c>version</c> field.</summary>
    public const int Version = 1;

    // Relaxed escaping keeps non-ASCII text and <, >, & readable; the body is JSON, never HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>The body, UTF-8 encoded.</summary>
    /// <param name="notification">What to tell.</param>
    /// <param name="project">The project's name.</param>
    /// <param name="channel">The channel's name.</param>
    /// <param name="deliveryId">The delivery's id: the same for every attempt, and the row's id in <c>_sluice.notifications</c>.</param>
    public static byte[] Write(Notification notification, string project, string channel, string deliveryId)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteString("id", deliveryId);
            json.WriteString("kind", notification.Kind);
            json.WriteString("severity", notification.Severity.Text());
            json.WriteString("title", notification.Title);
            json.WriteString("text", notification.Text);
            json.WriteStartObject("fields");
            foreach (var field in notification.Fields)
            {
                json.WriteString(field.Name, field.Value);
            }

            json.WriteEndObject();
            json.WriteStartArray("links");
            foreach (var link in notification.Links)
            {
                json.WriteStartObject();
                json.WriteString("title", link.Title);
                json.WriteString("url", link.Url.AbsoluteUri);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("occurred_at", Timestamp(notification.OccurredAt));
            json.WriteString("dedup_key", notification.DedupKey);
            json.WriteString("project", project);
            json.WriteString("channel", channel);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>A time as the body writes it: UTC, ISO 8601, to the millisecond: 2026-03-02T03:15:00.000Z.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
