using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sluice.Operate.Notify;

/// <summary>
/// The message a slack channel POSTs to an incoming webhook: <c>text</c>, the one-line fallback
/// that Slack shows in notifications and clients without blocks, and <c>blocks</c>:
/// <list type="bullet">
/// <item>a <c>header</c> with the severity's emoji and the title;</item>
/// <item>a <c>section</c> with the text, when there is one;</item>
/// <item><c>section</c>s of <c>fields</c>, ten per section, each <c>*name*</c> over its value;</item>
/// <item>a <c>context</c> line: severity, kind, project and time, then the links.</item>
/// </list>
/// Texts are cut to Slack's limits, and <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> escaped as its mrkdwn asks.
/// </summary>
public static class SlackMessage
{
    // Slack's limits: https://api.slack.com/reference/block-kit/blocks
    private const int HeaderLimit = 150;
    private const int SectionLimit = 3000;
    private const int FieldLimit = 2000;
    private const int FieldsPerSection = 10;
    private const int ContextElements = 10;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The message, UTF-8 encoded JSON.</summary>
    public static byte[] Write(Notification notification, string project)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartObject();
            json.WriteString("text", Fallback(notification, project));
            json.WriteStartArray("blocks");

            json.WriteStartObject();
            json.WriteString("type", "header");
            WriteText(json, "plain_text", Clip($"{Emoji(notification.Severity)} {notification.Title}", HeaderLimit), emoji: true);
            json.WriteEndObject();

            if (notification.Text.Trim().Length > 0)
            {
                json.WriteStartObject();
                json.WriteString("type", "section");
                WriteText(json, "mrkdwn", Mrkdwn(notification.Text.Trim(), SectionLimit));
                json.WriteEndObject();
            }

            foreach (var chunk in notification.Fields.Chunk(FieldsPerSection))
            {
                json.WriteStartObject();
                json.WriteString("type", "section");
                json.WriteStartArray("fields");
                foreach (var field in chunk)
                {
                    json.WriteStartObject();
                    WriteTextFields(json, "mrkdwn", $"*{Escape(field.Name)}*\n{Mrkdwn(field.Value, FieldLimit - field.Name.Length - 8)}");
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteStartObject();
            json.WriteString("type", "context");
            json.WriteStartArray("elements");
            var when = notification.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
            json.WriteStartObject();
            WriteTextFields(json, "mrkdwn", $"*{notification.Severity.Text()}* · {Escape(notification.Kind)} · {Escape(project)} · {when}");
            json.WriteEndObject();
            foreach (var link in notification.Links.Take(ContextElements - 1))
            {
                json.WriteStartObject();
                WriteTextFields(json, "mrkdwn", $"<{Escape(link.Url.AbsoluteUri)}|{Mrkdwn(link.Title.Replace('|', '/'), 200)}>");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The emoji shortcode that leads the header for <paramref name="severity"/>.</summary>
    public static string Emoji(NotificationSeverity severity) => severity switch
    {
        NotificationSeverity.Info => ":information_source:",
        NotificationSeverity.Warning => ":warning:",
        NotificationSeverity.Error => ":red_circle:",
        _ => ":rotating_light:",
    };

    private static string Fallback(Notification notification, string project)
    {
        var text = notification.Text.Trim();
        var firstLine = text.Split('\n', 2)[0].Trim();
        return Mrkdwn($"[{notification.Severity.Text()}] {notification.Title} ({project})" + (firstLine.Length > 0 ? $": {firstLine}" : string.Empty), SectionLimit);
    }

    private static void WriteText(Utf8JsonWriter json, string type, string text, bool emoji = false)
    {
        json.WriteStartObject("text");
        WriteTextFields(json, type, text);
        if (emoji)
        {
            json.WriteBoolean("emoji", true);
        }

        json.WriteEndObject();
    }

    private static void WriteTextFields(Utf8JsonWriter json, string type, string text)
    {
        json.WriteString("type", type);
        json.WriteString("text", text);
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    // Escaped, then cut to the limit without splitting an entity such as &amp;.
    private static string Mrkdwn(string text, int limit)
    {
        var escaped = Escape(text);
        if (escaped.Length <= limit)
        {
            return escaped;
        }

        var cut = limit - 1;
        var entity = escaped.LastIndexOf('&', cut - 1, Math.Min(cut, 5));
        if (entity >= 0 && escaped.IndexOf(';', entity) >= cut)
        {
            cut = entity;
        }

        return escaped[..cut] + "…";
    }

    private static string Clip(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)] + "…";
}
