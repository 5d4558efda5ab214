using System.Text.RegularExpressions;

namespace Sluice.Operate.Notify;

/// <summary>
/// Something worth telling people about — an alert that fires or resolves, a scheduled job that
/// failed — as every channel renders it: the webhook and command body
/// (<see cref="NotificationBody"/>) and the Slack message (<see cref="SlackMessage"/>).
/// </summary>
/// <param name="Kind">What happened, in snake case (an event's name may join such words with dots: analytics.synced): one of <see cref="NotificationKinds"/> or a kind of the caller's own.</param>
/// <param name="Title">One line that says it all: "Schedule nightly failed".</param>
/// <param name="Severity">How urgent it is.</param>
/// <param name="Text">The details, a few lines of plain text; may be empty.</param>
/// <param name="OccurredAt">When it happened (not when it is sent).</param>
/// <param name="DedupKey">
/// The same for every notification about the same occurrence (one alert's firing, one failed
/// run), so that receivers, and whoever reads <c>_sluice.notifications</c>, can tell a repeat.
/// </param>
public sealed partial record Notification(string Kind, string Title, NotificationSeverity Severity, string Text, DateTimeOffset OccurredAt, string DedupKey)
{
    private readonly IReadOnlyList<NotificationField> _fields = [];

    /// <inheritdoc cref="Notification" path="/param[@name='Kind']"/>
    public string Kind { get; init; } = KindPattern().IsMatch(Kind)
        ? Kind
        : throw new ArgumentException($"A notification's kind is a snake_case word such as job_failed, or such words joined by dots, not '{Kind}'.", nameof(Kind));

    /// <inheritdoc cref="Notification" path="/param[@name='Title']"/>
    public string Title { get; init; } = string.IsNullOrWhiteSpace(Title)
        ? throw new ArgumentException("A notification needs a title.", nameof(Title))
        : Title.Trim();

    /// <inheritdoc cref="Notification" path="/param[@name='Text']"/>
    public string Text { get; init; } = Text ?? string.Empty;

    /// <inheritdoc cref="Notification" path="/param[@name='DedupKey']"/>
    public string DedupKey { get; init; } = string.IsNullOrWhiteSpace(DedupKey) || DedupKey.Length > 400
        ? throw new ArgumentException("A notification's dedup key must be a non-empty text of at most 400 characters.", nameof(DedupKey))
        : DedupKey;

    /// <summary>Facts shown as a table (Slack fields, a JSON object): schedule, run, value, threshold. Names are unique.</summary>
    public IReadOnlyList<NotificationField> Fields
    {
        get => _fields;
        init => _fields = value.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice
            ? throw new ArgumentException($"The field '{twice.Key}' is given twice; field names of a notification are unique.", nameof(Fields))
            : value;
    }

    /// <summary>Where to look further: a dashboard, the run's log.</summary>
    public IReadOnlyList<NotificationLink> Links { get; init; } = [];

    /// <summary>
    /// Set when the notification is one of Sluice's events (<c>analytics.synced</c>): webhook,
    /// command and NATS channels then get the event's own body instead of <see cref="NotificationBody"/>,
    /// the same for every channel; Slack channels still get a message made of the notification.
    /// </summary>
    public NotificationEvent? Event { get; init; }

    [GeneratedRegex(@"^(?=.{1,64}$)[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")]
    private static partial Regex KindPattern();
}

/// <summary>The kinds of notification Sluice sends; the alert engine and the scheduler use these.</summary>
public static class NotificationKinds
{
    /// <summary>An alert's condition holds: pending → firing.</summary>
    public const string AlertFiring = "alert_firing";

    /// <summary>A firing alert's condition no longer holds.</summary>
    public const string AlertResolved = "alert_resolved";

    /// <summary>A scheduled job failed or timed out after its last attempt.</summary>
    public const string JobFailed = "job_failed";

    /// <summary>Sent by <c>sluice channels test</c> to check a channel.</summary>
    public const string Test = "test";
}

/// <summary>An event that consumers act on, as <see cref="Notification.Event"/> carries it.</summary>
/// <param name="Name">Its name, such as <c>analytics.synced</c>: the default subject on NATS.</param>
/// <param name="Body">Its JSON body, UTF-8 encoded, as every channel but Slack sends it.</param>
public sealed record NotificationEvent(string Name, byte[] Body);

/// <summary>How urgent a notification is.</summary>
public enum NotificationSeverity
{
    /// <summary>For the record: a resolved alert, a test.</summary>
    Info,

    /// <summary>Worth a look soon.</summary>
    Warning,

    /// <summary>Something failed and needs someone.</summary>
    Error,

    /// <summary>Something failed that people depend on now.</summary>
    Critical,
}

/// <summary>One fact of a notification: a name and its value as text.</summary>
/// <param name="Name">Short and in snake case, such as "schedule" or "scheduled_for": the webhook body uses it as a JSON key.</param>
/// <param name="Value">The value, as it should be shown.</param>
public sealed record NotificationField(string Name, string Value);

/// <summary>A link of a notification.</summary>
/// <param name="Title">What it leads to: "Run log", "Dashboard".</param>
/// <param name="Url">An absolute http or https URL.</param>
public sealed record NotificationLink(string Title, Uri Url)
{
    /// <inheritdoc cref="NotificationLink" path="/param[@name='Url']"/>
    public Uri Url { get; init; } = Url.IsAbsoluteUri && Url.Scheme is "http" or "https"
        ? Url
        : throw new ArgumentException("A notification's link must be an absolute http or https URL.", nameof(Url));
}

/// <summary>How severities are written in bodies and records.</summary>
public static class NotificationSeverities
{
    /// <summary>The severity as bodies and <c>_sluice.notifications</c> write it: info, warning, error, critical.</summary>
    public static string Text(this NotificationSeverity severity) => severity switch
    {
        NotificationSeverity.Info => "info",
        NotificationSeverity.Warning => "warning",
        NotificationSeverity.Error => "error",
        _ => "critical",
    };

    /// <summary>The severity <paramref name="text"/> writes, as <see cref="Text"/> writes it.</summary>
    public static NotificationSeverity Parse(string text) => text switch
    {
        "info" => NotificationSeverity.Info,
        "warning" => NotificationSeverity.Warning,
        "error" => NotificationSeverity.Error,
        "critical" => NotificationSeverity.Critical,
        _ => throw new ArgumentException($"'{text}' is not a severity; the severities are info, warning, error and critical.", nameof(text)),
    };
}
