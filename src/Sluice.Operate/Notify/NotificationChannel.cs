namespace Sluice.Operate.Notify;

/// <summary>
/// One entry of <c>channels:</c> in sluice.yml: where notifications go and how hard to try.
/// Its URL, headers and command may hold secrets read from the environment; <see cref="Target"/>
/// and <see cref="ToString"/> never show them, and <see cref="Scrub"/> removes them from texts.
/// </summary>
/// <param name="Name">Its name, unique in the project; alerts and <c>sluice channels test</c> use it.</param>
/// <param name="Retries">How many times a failed delivery is tried again (retryable failures only).</param>
/// <param name="RetryDelay">The wait before the first retry; each further retry waits twice as long as the one before.</param>
/// <param name="Timeout">How long one attempt may take.</param>
/// <param name="Enabled">False keeps the channel listed and testable, but nothing is sent to it.</param>
/// <param name="Line">The line of sluice.yml where it is defined, for messages.</param>
public abstract record NotificationChannel(string Name, int Retries, TimeSpan RetryDelay, TimeSpan Timeout, bool Enabled, int Line)
{
    /// <summary>Retries when <c>retries</c> is not given.</summary>
    public const int DefaultRetries = 3;

    /// <summary>The first retry's delay when <c>retry_delay</c> is not given.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>The time an attempt may take when <c>timeout</c> is not given.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The channel's type as sluice.yml writes it: webhook, slack, command or nats.</summary>
    public abstract string Type { get; }

    /// <summary>Where it delivers, safe to show: a URL with its path masked, or the program it runs.</summary>
    public abstract string Target { get; }

    /// <summary>The channel's secrets, as read from sluice.yml and the environment.</summary>
    internal SecretScrubber Secrets { get; init; } = SecretScrubber.None;

    /// <summary><paramref name="text"/> with this channel's secrets replaced by <c>***</c>.</summary>
    public string Scrub(string text) => Secrets.Scrub(text);

    /// <summary>The wait before retry <paramref name="attempt"/> (1 for the first retry).</summary>
    public TimeSpan DelayBeforeRetry(int attempt) =>
        RetryDelay * Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));

    /// <summary>The channel as it may be shown: type, name and masked target; never its secrets.</summary>
    // Sealed, so that the records below do not get the generated ToString that would print their URLs and headers.
    public sealed override string ToString() => $"{Type} channel '{Name}' ({Target})";
}

/// <summary>
/// <c>type: webhook</c>: POSTs the JSON body of <see cref="NotificationBody"/> to a URL.
/// </summary>
/// <param name="Name">See <see cref="NotificationChannel"/>.</param>
/// <param name="Retries">See <see cref="NotificationChannel"/>.</param>
/// <param name="RetryDelay">See <see cref="NotificationChannel"/>.</param>
/// <param name="Timeout">See <see cref="NotificationChannel"/>.</param>
/// <param name="Enabled">See <see cref="NotificationChannel"/>.</param>
/// <param name="Line">See <see cref="NotificationChannel"/>.</param>
/// <param name="Url">The URL, with environment references expanded; a secret.</param>
/// <param name="Headers">Extra request headers (an Authorization token); their values are secrets.</param>
public sealed record WebhookChannel(
    string Name, int Retries, TimeSpan RetryDelay, TimeSpan Timeout, bool Enabled, int Line, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers)
    : NotificationChannel(Name, Retries, RetryDelay, Timeout, Enabled, Line)
{
    /// <inheritdoc/>
    public override string Type => "webhook";

    /// <inheritdoc/>
    public override string Target => SecretScrubber.MaskUrl(Url);
}

/// <summary>
/// <c>type: slack</c>: POSTs a Slack message (<see cref="SlackMessage"/>) to an incoming webhook
/// URL, Slack's own or a compatible service's.
/// </summary>
/// <param name="Name">See <see cref="NotificationChannel"/>.</param>
/// <param name="Retries">See <see cref="NotificationChannel"/>.</param>
/// <param name="RetryDelay">See <see cref="NotificationChannel"/>.</param>
/// <param name="Timeout">See <see cref="NotificationChannel"/>.</param>
/// <param name="Enabled">See <see cref="NotificationChannel"/>.</param>
/// <param name="Line">See <see cref="NotificationChannel"/>.</param>
/// <param name="Url">The incoming webhook's URL; a secret.</param>
/// <param name="Headers">Extra request headers, for compatible services behind a proxy; their values are secrets.</param>
public sealed record SlackChannel(
    string Name, int Retries, TimeSpan RetryDelay, TimeSpan Timeout, bool Enabled, int Line, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers)
    : NotificationChannel(Name, Retries, RetryDelay, Timeout, Enabled, Line)
{
    /// <inheritdoc/>
    public override string Type => "slack";

    /// <inheritdoc/>
    public override string Target => SecretScrubber.MaskUrl(Url);
}

/// <summary>
/// <c>type: command</c>: runs a program, without a shell, with the JSON body of
/// <see cref="NotificationBody"/> on its standard input; exit code 0 is a delivery.
/// </summary>
/// <param name="Name">See <see cref="NotificationChannel"/>.</param>
/// <param name="Retries">See <see cref="NotificationChannel"/>.</param>
/// <param name="RetryDelay">See <see cref="NotificationChannel"/>.</param>
/// <param name="Timeout">See <see cref="NotificationChannel"/>; a program still running then is killed with its children.</param>
/// <param name="Enabled">See <see cref="NotificationChannel"/>.</param>
/// <param name="Line">See <see cref="NotificationChannel"/>.</param>
/// <param name="Command">The program (a name looked up on PATH, or a path: relative ones from the project folder) and its arguments.</param>
/// <param name="WorkingDirectory">Where it runs: the project folder.</param>
public sealed record CommandChannel(
    string Name, int Retries, TimeSpan RetryDelay, TimeSpan Timeout, bool Enabled, int Line, IReadOnlyList<string> Command, string WorkingDirectory)
    : NotificationChannel(Name, Retries, RetryDelay, Timeout, Enabled, Line)
{
    /// <inheritdoc/>
    public override string Type => "command";

    /// <inheritdoc/>
    public override string Target => Scrub(string.Join(' ', Command.Select(Quote)));

    private static string Quote(string word) =>
        word.Length > 0 && !word.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? word : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}

/// <summary>
/// <c>type: nats</c>: publishes the JSON body on a NATS subject, and waits for the server's PONG
/// to a PING sent after it: core NATS has no acknowledgement of a publish, but the server answers
/// a PING only after it has processed what the connection sent before, so a PONG means that the
/// message reached the server (not that a subscriber got it).
/// </summary>
/// <param name="Name">See <see cref="NotificationChannel"/>.</param>
/// <param name="Retries">See <see cref="NotificationChannel"/>.</param>
/// <param name="RetryDelay">See <see cref="NotificationChannel"/>.</param>
/// <param name="Timeout">See <see cref="NotificationChannel"/>; it bounds the connection, the publish and the PING together.</param>
/// <param name="Enabled">See <see cref="NotificationChannel"/>.</param>
/// <param name="Line">See <see cref="NotificationChannel"/>.</param>
/// <param name="Url">The server's URL, <c>nats://user:password@host:4222</c> or <c>tls://…</c>; its user info is a secret.</param>
/// <param name="Subject">The subject to publish on; null publishes each event on its name (<c>analytics.synced</c>) and other notifications on <c>sluice.&lt;kind&gt;</c>.</param>
public sealed record NatsChannel(
    string Name, int Retries, TimeSpan RetryDelay, TimeSpan Timeout, bool Enabled, int Line, Uri Url, string? Subject)
    : NotificationChannel(Name, Retries, RetryDelay, Timeout, Enabled, Line)
{
    /// <summary>The port of a URL that names none.</summary>
    public const int DefaultPort = 4222;

    /// <inheritdoc/>
    public override string Type => "nats";

    /// <inheritdoc/>
    public override string Target => $"{SecretScrubber.MaskUrl(Url)}, subject {Subject ?? "per event"}";

    /// <summary>The subject <paramref name="notification"/> is published on.</summary>
    public string SubjectFor(Notification notification) => Subject ?? notification.Event?.Name ?? $"sluice.{notification.Kind}";
}
