using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Operate.Notify;

/// <summary>
/// Reads the <c>channels:</c> section of sluice.yml, with every mistake reported at its line:
/// <code>
/// channels:
///   - name: data-team              # letters, digits, '_' or '-'; unique
///     type: slack                  # webhook, slack, command or nats
///     url: ${SLACK_WEBHOOK_URL}    # webhook and slack; read secrets from the environment
///   - name: pager
///     type: webhook
///     url: https://events.example.com/sluice
///     headers:                     # webhook and slack; values may use ${ENV}
///       Authorization: Bearer ${PAGER_TOKEN}
///   - name: local-log
///     type: command
///     command: [./scripts/notify.sh, --quiet]   # no shell; the JSON body on stdin
///   - name: teei-bus
///     type: nats
///     url: nats://sluice:${NATS_PASSWORD}@nats.internal:4222   # or tls://…; port 4222 unless given
///     subject: analytics.synced    # nats; default: each event's name, sluice.&lt;kind&gt; for notifications
///     retries: 3                   # default 3
///     retry_delay: 5s              # before the first retry, doubling after; default 5s
///     timeout: 10s                 # per attempt; default 10s
///     enabled: true
/// </code>
/// Values read from the environment are the channel's secrets: errors never quote them.
/// </summary>
public static class ChannelReader
{
    /// <summary>The channel types, as <c>type:</c> names them.</summary>
    public static IReadOnlyList<string> Types { get; } = ["webhook", "slack", "command", "nats"];

    private static readonly string[] CommonKeys = ["name", "type", "retries", "retry_delay", "timeout", "enabled"];
    private static readonly string[] HttpKeys = [.. CommonKeys, "url", "headers"];
    private static readonly string[] CommandKeys = [.. CommonKeys, "command"];
    private static readonly string[] NatsKeys = [.. CommonKeys, "url", "subject"];
    private static readonly string[] AllKeys = [.. CommonKeys, "url", "headers", "command", "subject"];

    // Headers the request's body or the HTTP stack set; a channel cannot replace them.
    private static readonly string[] ReservedHeaders = ["Content-Type", "Content-Length", "Host", "Transfer-Encoding", "Connection"];

    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromHours(1);
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The channels of <paramref name="project"/>, in file order; none when it has no <c>channels:</c> section.</summary>
    /// <exception cref="ConfigurationException">A channel is not valid; the message names the file, line and fix, never a secret.</exception>
    public static IReadOnlyList<NotificationChannel> Read(SluiceProject project)
    {
        if (project.Section("channels") is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        // Every value a channel reads from the environment is one of its secrets.
        var fromEnvironment = new List<string>();
        var file = new ConfigFile(project.ConfigPath, name =>
        {
            var value = project.Environment(name);
            if (value is not null)
            {
                fromEnvironment.Add(value);
            }

            return value;
        });
        if (node is not YamlSequenceNode list)
        {
            throw file.Error(node, "channels must be a list, each item with a name and a type, such as `- {name: data-team, type: slack, url: \"${SLACK_WEBHOOK_URL}\"}`.");
        }

        var channels = new List<NotificationChannel>();
        foreach (var item in list.Children)
        {
            fromEnvironment.Clear();
            var channel = ReadOne(file, item, project.Directory, fromEnvironment);
            if (channels.FirstOrDefault(c => c.Name == channel.Name) is { } earlier)
            {
                throw file.Error(item, $"the channel name '{channel.Name}' is used twice (also on line {earlier.Line}); give each channel its own name.");
            }

            channels.Add(channel);
        }

        return channels;
    }

    private static NotificationChannel ReadOne(ConfigFile file, YamlNode node, string projectDirectory, List<string> fromEnvironment)
    {
        var entries = file.ReadMapping(node, "a channel", AllKeys);
        if (!entries.TryGetValue("name", out var nameEntry))
        {
            throw file.Error(node, "a channel needs name; add `name: data-team`.");
        }

        var name = file.ReadString(nameEntry.Value, "channels.name");
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw file.Error(nameEntry.Value, $"the channel name '{name}' may hold only letters, digits, '_' and '-'.");
        }

        var what = $"channel '{name}'";
        if (!entries.TryGetValue("type", out var typeEntry))
        {
            throw file.Error(node, $"{what} needs a type; add `type: webhook`, `type: slack`, `type: command` or `type: nats`.");
        }

        var type = file.ReadString(typeEntry.Value, $"{what}: type");
        if (!Types.Contains(type))
        {
            throw file.Error(typeEntry.Value, $"{what}: unknown type '{type}'; a channel's type is {string.Join(", ", Types)}.");
        }

        file.RejectKeys(entries, $"a {type} channel", type switch { "command" => CommandKeys, "nats" => NatsKeys, _ => HttpKeys });
        var retries = entries.TryGetValue("retries", out var retriesEntry)
            ? file.ReadInt(retriesEntry.Value, $"{what}: retries", 0, 10)
            : NotificationChannel.DefaultRetries;
        var retryDelay = entries.TryGetValue("retry_delay", out var delayEntry)
            ? Limited(file, delayEntry.Value, $"{what}: retry_delay", LongestRetryDelay)
            : NotificationChannel.DefaultRetryDelay;
        var timeout = entries.TryGetValue("timeout", out var timeoutEntry)
            ? Limited(file, timeoutEntry.Value, $"{what}: timeout", LongestTimeout)
            : NotificationChannel.DefaultTimeout;
        var enabled = !entries.TryGetValue("enabled", out var enabledEntry) || ConfigValues.Bool(file, enabledEntry.Value, $"{what}: enabled");
        var line = (int)node.Start.Line;

        if (type == "command")
        {
            if (!entries.TryGetValue("command", out var commandEntry))
            {
                throw file.Error(node, $"{what} needs a command; add `command: [/path/to/program, --its, arguments]`.");
            }

            var command = ReadCommand(file, commandEntry.Value, what, projectDirectory);
            return new CommandChannel(name, retries, retryDelay, timeout, enabled, line, command, projectDirectory)
            {
                Secrets = new SecretScrubber(fromEnvironment),
            };
        }

        if (type == "nats")
        {
            if (!entries.TryGetValue("url", out var natsEntry))
            {
                throw file.Error(node, $"{what} needs a url; add `url: nats://user:${{NATS_PASSWORD}}@host:4222`, the password read from the environment so that it stays out of sluice.yml.");
            }

            var server = ReadNatsUrl(file, natsEntry.Value, what);
            var subject = entries.TryGetValue("subject", out var subjectEntry) ? ReadSubject(file, subjectEntry.Value, what) : null;
            return new NatsChannel(name, retries, retryDelay, timeout, enabled, line, server, subject)
            {
                Secrets = new SecretScrubber([.. fromEnvironment, .. SecretScrubber.SecretsOf(server)]),
            };
        }

        if (!entries.TryGetValue("url", out var urlEntry))
        {
            var example = type == "slack" ? "${SLACK_WEBHOOK_URL}" : "${WEBHOOK_URL}";
            throw file.Error(node, $"{what} needs a url; add `url: {example}`, read from the environment so that the secret stays out of sluice.yml.");
        }

        var url = ReadUrl(file, urlEntry.Value, what);
        var headers = entries.TryGetValue("headers", out var headersEntry) ? ReadHeaders(file, headersEntry.Value, what) : [];
        var secrets = new SecretScrubber([.. fromEnvironment, .. SecretScrubber.SecretsOf(url), .. headers.Select(h => h.Value)]);
        return type == "slack"
            ? new SlackChannel(name, retries, retryDelay, timeout, enabled, line, url, headers) { Secrets = secrets }
            : new WebhookChannel(name, retries, retryDelay, timeout, enabled, line, url, headers) { Secrets = secrets };
    }

    private static TimeSpan Limited(ConfigFile file, YamlNode node, string what, TimeSpan longest)
    {
        var duration = ConfigValues.Duration(file, node, what);
        return duration <= longest
            ? duration
            : throw file.Error(node, $"{what} may be at most {Show.Duration(longest)}, not {Show.Duration(duration)}.");
    }

    private static Uri ReadUrl(ConfigFile file, YamlNode node, string what)
    {
        var text = file.ReadString(node, $"{what}: url");
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Host.Length > 0)
        {
            return url;
        }

        // The value may be a secret from the environment: the message quotes what the file says.
        var written = ((YamlScalarNode)node).Value ?? string.Empty;
        var quoted = Uri.TryCreate(written, UriKind.Absolute, out var literal) ? SecretScrubber.MaskUrl(literal) : written;
        var source = written.Contains("${", StringComparison.Ordinal) ? $"`{quoted}` gives a value that is not one" : $"not `{quoted}`";
        throw file.Error(node, $"{what}: url must be an absolute http or https URL such as https://hooks.slack.com/services/…, {source}.");
    }

    private static Uri ReadNatsUrl(ConfigFile file, YamlNode node, string what)
    {
        var text = file.ReadString(node, $"{what}: url");
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "nats" or "tls" && url.Host.Length > 0 && url.PathAndQuery is "/" or "" && url.Fragment.Length == 0)
        {
            return url;
        }

        // As for an HTTP URL, the message quotes what the file says, never a value from the environment.
        var written = ((YamlScalarNode)node).Value ?? string.Empty;
        var quoted = Uri.TryCreate(written, UriKind.Absolute, out var literal) ? SecretScrubber.MaskUrl(literal) : SecretMasker.Mask(written);
        var source = written.Contains("${", StringComparison.Ordinal) ? $"`{quoted}` gives a value that is not one" : $"not `{quoted}`";
        throw file.Error(node, $"{what}: url must be a NATS server's URL such as nats://user:${{NATS_PASSWORD}}@host:4222 (or tls://… for TLS), with no path, {source}.");
    }

    // A subject to publish on: tokens separated by dots, without the wildcards * and > or white space.
    private static string ReadSubject(ConfigFile file, YamlNode node, string what)
    {
        var subject = file.ReadString(node, $"{what}: subject");
        return subject.Split('.').All(token => token.Length > 0 && !token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '*' or '>'))
            ? subject
            : throw file.Error(node, $"{what}: subject '{subject}' is not a subject to publish on; write tokens separated by dots, without spaces or the wildcards * and >, such as analytics.synced.");
    }

    private static List<KeyValuePair<string, string>> ReadHeaders(ConfigFile file, YamlNode node, string what)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw file.Error(node, $"{what}: headers must be a mapping of header names to values, such as `Authorization: Bearer ${{TOKEN}}`.");
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var header = keyNode is YamlScalarNode { Value: { Length: > 0 } key } ? key : throw file.Error(keyNode, $"{what}: a header's name must be a plain name.");
            if (!header.All(IsTokenChar))
            {
                throw file.Error(keyNode, $"{what}: '{header}' is not a valid header name; use letters, digits and '-', such as X-Api-Key.");
            }

            if (ReservedHeaders.FirstOrDefault(r => r.Equals(header, StringComparison.OrdinalIgnoreCase)) is { } reserved)
            {
                throw file.Error(keyNode, $"{what}: the header {reserved} is set by Sluice for the JSON body; remove it.");
            }

            if (headers.Any(h => h.Key.Equals(header, StringComparison.OrdinalIgnoreCase)))
            {
                throw file.Error(keyNode, $"{what}: the header {header} is given twice; keep one.");
            }

            var value = file.ReadString(valueNode, $"{what}: headers.{header}");
            if (value.Any(char.IsControl))
            {
                throw file.Error(valueNode, $"{what}: the value of header {header} holds a line break or another control character; remove it.");
            }

            headers.Add(new(header, value));
        }

        return headers;
    }

    private static List<string> ReadCommand(ConfigFile file, YamlNode node, string what, string projectDirectory)
    {
        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            throw file.Error(node, $"{what}: command must be a list of the program and its arguments, such as `[/usr/local/bin/page, --team, data]`; it runs without a shell.");
        }

        var words = list.Children.Select(item => file.ReadString(item, $"{what}: command")).ToList();

        // A relative path names a file of the project, whatever folder sluice was started from;
        // a bare name is looked up on PATH when the program starts.
        if (!Path.IsPathRooted(words[0]) && words[0].Contains('/', StringComparison.Ordinal))
        {
            words[0] = Path.GetFullPath(Path.Combine(projectDirectory, words[0]));
        }

        return words;
    }

    // RFC 9110 token characters.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
