using Sluice.Core.Project;
using Sluice.Operate.Notify;
using YamlDotNet.RepresentationModel;

namespace Sluice.Operate.Events;

/// <summary>
/// Reads the <c>events:</c> section of sluice.yml: for each of Sluice's events, the channels
/// (of <c>channels:</c>) that get it, every mistake reported at its line:
/// <code>
/// events:
///   analytics.synced: [teei-bus, ops-webhook]   # a channel's name, or a list of them
/// </code>
/// An event that no entry names is sent nowhere. A disabled channel stays named, and gets nothing.
/// </summary>
public static class EventReader
{
    /// <summary>
    /// The events of <paramref name="project"/>, with its channels read only when it has an
    /// <c>events:</c> section: a channel whose secret is not set where the project runs (a
    /// developer's machine) stops only the verbs that would send to it.
    /// </summary>
    /// <exception cref="ConfigurationException">An event, or a channel it names, is not valid.</exception>
    public static ProjectEvents Read(SluiceProject project) =>
        project.Section("events") is null or YamlScalarNode { Value: null or "" } ? ProjectEvents.None : Read(project, ChannelReader.Read(project));

    /// <summary>The events of <paramref name="project"/>, routed to <paramref name="channels"/>; none when it has no <c>events:</c> section.</summary>
    /// <exception cref="ConfigurationException">An event or a channel is unknown; the message names the file, line and fix.</exception>
    public static ProjectEvents Read(SluiceProject project, IReadOnlyList<NotificationChannel> channels)
    {
        if (project.Section("events") is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            return ProjectEvents.None;
        }

        var file = project.OpenConfig();
        if (node is not YamlMappingNode mapping)
        {
            throw file.Error(node, $"events must map an event's name to the channels that get it, such as `{EventNames.AnalyticsSynced}: [ops-webhook]`.");
        }

        var routes = new Dictionary<string, IReadOnlyList<NotificationChannel>>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var name = keyNode is YamlScalarNode { Value: { Length: > 0 } key } ? key : throw file.Error(keyNode, "an event's name must be a plain name, such as analytics.synced.");
            if (!EventNames.All.Contains(name))
            {
                throw file.Error(keyNode, $"unknown event '{name}'; the events are {string.Join(", ", EventNames.All)}.");
            }

            var to = new List<NotificationChannel>();
            IEnumerable<YamlNode> items = value switch
            {
                YamlScalarNode => [value],
                YamlSequenceNode { Children.Count: > 0 } list => list.Children,
                _ => throw file.Error(value, $"events.{name} must be a channel's name or a non-empty list of them, such as [ops-webhook]."),
            };
            foreach (var item in items)
            {
                var channelName = file.ReadString(item, $"events.{name}");
                if (channels.FirstOrDefault(c => c.Name == channelName) is not { } channel)
                {
                    throw file.Error(item, channels.Count == 0
                        ? $"events.{name}: there is no channel '{channelName}', and sluice.yml has no channels; define it under channels: (see docs/notifications.md)."
                        : $"events.{name}: there is no channel '{channelName}'; the channels are {string.Join(", ", channels.Select(c => c.Name))}.");
                }

                if (to.Contains(channel))
                {
                    throw file.Error(item, $"events.{name}: the channel '{channelName}' is named twice; keep one.");
                }

                to.Add(channel);
            }

            routes[name] = to;
        }

        return new ProjectEvents(routes);
    }
}

/// <summary>The names of the events Sluice emits.</summary>
public static class EventNames
{
    /// <summary>After every sync in which every table synced: downstream consumers refresh.</summary>
    public const string AnalyticsSynced = "analytics.synced";

    /// <summary>Every event, as <c>events:</c> may name them.</summary>
    public static IReadOnlyList<string> All { get; } = [AnalyticsSynced];
}

/// <summary>Which channels get which event, as <c>events:</c> in sluice.yml says.</summary>
/// <param name="Routes">The channels of each event that has any.</param>
public sealed record ProjectEvents(IReadOnlyDictionary<string, IReadOnlyList<NotificationChannel>> Routes)
{
    /// <summary>No event goes anywhere.</summary>
    public static ProjectEvents None { get; } = new(new Dictionary<string, IReadOnlyList<NotificationChannel>>());

    /// <summary>The channels that get <paramref name="eventName"/>, disabled ones included; none when no entry names it.</summary>
    public IReadOnlyList<NotificationChannel> ChannelsFor(string eventName) => Routes.GetValueOrDefault(eventName) ?? [];

    /// <summary>The events <paramref name="channel"/> gets, for listings.</summary>
    public IReadOnlyList<string> EventsOf(string channel) => [.. Routes.Where(r => r.Value.Any(c => c.Name == channel)).Select(r => r.Key)];
}
