using Sluice.Core.Project;
using Sluice.Operate.Events;

namespace Sluice.Operate.Tests;

public sealed class EventReaderTests : IAsyncDisposable
{
    private const string Channels = """
        channels:
          - {name: bus, type: nats, url: "nats://nats.internal:4222"}
          - {name: ops, type: webhook, url: "https://ops.example.com/hooks/sluice"}

        """;

    private readonly NotifyHarness _harness = new();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public void Events_name_the_channels_that_get_them()
    {
        _harness.Channels(Channels + "events:\n  analytics.synced: [bus, ops]\n");
        var events = EventReader.Read(ProjectLoader.Load(_harness.Directory));

        Assert.Equal(["bus", "ops"], events.ChannelsFor(EventNames.AnalyticsSynced).Select(c => c.Name));
        Assert.Equal(["analytics.synced"], events.EventsOf("ops"));
    }

    [Fact]
    public void One_channel_may_be_named_without_a_list_and_no_section_sends_nothing()
    {
        _harness.Channels(Channels + "events:\n  analytics.synced: bus\n");
        Assert.Equal(["bus"], EventReader.Read(ProjectLoader.Load(_harness.Directory)).ChannelsFor(EventNames.AnalyticsSynced).Select(c => c.Name));

        _harness.Channels(Channels);
        Assert.Empty(EventReader.Read(ProjectLoader.Load(_harness.Directory)).ChannelsFor(EventNames.AnalyticsSynced));
    }

    [Fact]
    public void Without_events_the_channels_are_not_read_so_an_unset_secret_stops_nothing()
    {
        File.WriteAllText(_harness.ConfigPath, "name: shop\nchannels:\n  - {name: slack, type: slack, url: \"${UNSET_FOR_EVENT_TEST}\"}\n");

        Assert.Same(ProjectEvents.None, EventReader.Read(ProjectLoader.Load(_harness.Directory)));
    }

    [Theory]
    [InlineData("events:\n  analytics.sync: [bus]", 6, "unknown event 'analytics.sync'; the events are analytics.synced.")]
    [InlineData("events:\n  analytics.synced: [bus, pager]", 6, "events.analytics.synced: there is no channel 'pager'; the channels are bus, ops.")]
    [InlineData("events:\n  analytics.synced:\n    - bus\n    - bus", 8, "events.analytics.synced: the channel 'bus' is named twice; keep one.")]
    [InlineData("events:\n  analytics.synced: []", 6, "events.analytics.synced must be a channel's name or a non-empty list of them")]
    [InlineData("events:\n  - analytics.synced", 6, "events must map an event's name to the channels that get it")]
    public void A_bad_event_is_a_one_line_error_at_its_line(string yaml, int line, string message)
    {
        _harness.Channels(Channels + yaml + "\n");

        var error = Assert.Throws<ConfigurationException>(() => EventReader.Read(ProjectLoader.Load(_harness.Directory)));

        Assert.StartsWith($"{_harness.ConfigPath}:{line}:", error.Message);
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void An_event_naming_a_channel_when_there_are_none_says_where_to_define_it()
    {
        File.WriteAllText(_harness.ConfigPath, "name: shop\nevents:\n  analytics.synced: bus\n");

        var error = Assert.Throws<ConfigurationException>(() => EventReader.Read(ProjectLoader.Load(_harness.Directory)));

        Assert.Contains("sluice.yml:3:", error.Message);
        Assert.Contains("there is no channel 'bus', and sluice.yml has no channels; define it under channels:", error.Message);
    }
}
