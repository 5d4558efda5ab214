using System.Text.Json;
using Sluice.Core.Project;
using Sluice.Operate.Events;
using Sluice.Operate.Notify;
using Sluice.Testing;

namespace Sluice.Operate.Tests;

public sealed class NatsDeliveryTests : IAsyncDisposable
{
    private readonly NotifyHarness _harness = new();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task A_nats_channel_is_read_with_its_password_from_the_environment_and_never_shows_it()
    {
        _harness.Environment["NATS_PASSWORD"] = "Hq3vZr8Lt5Wm";
        var channels = _harness.Channels("""
            channels:
              - name: bus
                type: nats
                url: nats://sluice:${NATS_PASSWORD}@nats.internal
              - name: teei
                type: nats
                url: tls://nats.example.com:4443
                subject: teei.analytics.synced
                timeout: 2s
            """);

        var bus = Assert.IsType<NatsChannel>(channels[0]);
        Assert.Equal(("nats", null, 3), (bus.Type, bus.Subject, bus.Line));
        Assert.Equal("nats://nats.internal/***, subject per event", bus.Target);
        Assert.Equal("nats channel 'bus' (nats://nats.internal/***, subject per event)", bus.ToString());
        Assert.Equal("connecting as *** failed: ***", bus.Scrub("connecting as sluice:Hq3vZr8Lt5Wm failed: Hq3vZr8Lt5Wm"));

        var teei = Assert.IsType<NatsChannel>(channels[1]);
        Assert.Equal(("teei.analytics.synced", TimeSpan.FromSeconds(2)), (teei.Subject, teei.Timeout));
        Assert.Equal("tls://nats.example.com:4443/, subject teei.analytics.synced", teei.Target);
    }

    [Theory]
    [InlineData("  - {name: bus, type: nats}", 3, "channel 'bus' needs a url; add `url: nats://user:${NATS_PASSWORD}@host:4222`")]
    [InlineData("  - {name: bus, type: nats, url: \"https://nats.example.com\"}", 3, "channel 'bus': url must be a NATS server's URL such as nats://")]
    [InlineData("  - {name: bus, type: nats, url: \"nats://u:p@h:4222/x\"}", 3, "with no path, not `nats://h:4222/***`")]
    [InlineData("  - {name: bus, type: nats, url: \"nats://h\", subject: \"analytics.>\"}", 3, "channel 'bus': subject 'analytics.>' is not a subject to publish on")]
    [InlineData("  - {name: bus, type: nats, url: \"nats://h\", subject: \"a..b\"}", 3, "subject 'a..b' is not a subject to publish on")]
    [InlineData("  - {name: bus, type: nats, url: \"nats://h\", headers: {X: y}}", 3, "'headers' does not apply to a nats channel; the allowed keys are name, type, retries, retry_delay, timeout, enabled, url, subject.")]
    [InlineData("  - {name: hook, type: webhook, url: \"https://h\", subject: x}", 3, "'subject' does not apply to a webhook channel")]
    [InlineData("  - {name: bus, type: mqtt}", 3, "unknown type 'mqtt'; a channel's type is webhook, slack, command, nats.")]
    public void A_bad_nats_channel_is_an_error_at_its_line(string yaml, int line, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => _harness.Channels("channels:\n" + yaml + "\n"));
        Assert.Contains($"sluice.yml:{line}:", error.Message);
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_notification_is_published_on_its_kind_and_an_event_on_its_name_or_the_channels_subject()
    {
        await using var nats = await NatsServer.StartAsync();
        _harness.Environment["NATS_URL"] = nats.Url();
        var channels = _harness.Channels("""
            channels:
              - {name: bus, type: nats, url: "${NATS_URL}"}
              - {name: fixed, type: nats, url: "${NATS_URL}", subject: teei.events}
            """);
        await using var all = await nats.SubscribeAsync(">");

        var failed = await _harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channels[0]);
        var synced = SyncedEvent.Create("shop", "run-7", NotifyHarness.Start, "abc123", [new("app", "orders", "raw.app__orders", "incremental", 5, 4, 1, "2026-03-02T09:59:00Z")]);
        var published = await _harness.Notifier.SendAsync(synced, channels);

        Assert.True(failed.Delivered, failed.LastError);
        Assert.All(published, d => Assert.True(d.Delivered, d.LastError));
        var received = await all.ReceivedAsync();
        Assert.Equal(["analytics.synced", "sluice.job_failed", "teei.events"], received.Select(m => m.Subject).Order(StringComparer.Ordinal));
        var notice = received.Single(m => m.Subject == "sluice.job_failed");
        Assert.Equal(("job_failed", "bus", failed.Id), Read(notice.Body, "kind", "channel", "id"));
        Assert.Equal((failed.Id, "application/json"), (notice.Headers["Nats-Msg-Id"], notice.Headers["Content-Type"]));

        // The event's body is the same on both channels: no channel name or delivery id in it.
        var bodies = received.Where(m => m.Subject != "sluice.job_failed").Select(m => m.Body).Distinct().ToList();
        var body = JsonDocument.Parse(Assert.Single(bodies)).RootElement;
        Assert.Equal(("analytics.synced", "shop", "run-7"), (body.GetProperty("event").GetString(), body.GetProperty("project").GetString(), body.GetProperty("run_id").GetString()));
        var table = Assert.Single(body.GetProperty("tables").EnumerateArray());
        Assert.Equal((5L, 4L, 1L), (table.GetProperty("rows_read").GetInt64(), table.GetProperty("rows_upserted").GetInt64(), table.GetProperty("rows_deleted").GetInt64()));

        var rows = await _harness.RowsAsync();
        Assert.Equal(
            [("bus", "nats", "job_failed", "delivered"), ("bus", "nats", "analytics.synced", "delivered"), ("fixed", "nats", "analytics.synced", "delivered")],
            rows.Select(r => (r["channel"], r["channel_type"], r["kind"], r["status"])).OrderBy(r => r.Item3 == "job_failed" ? 0 : 1).ThenBy(r => r.Item1));
    }

    [Fact]
    public async Task A_wrong_password_fails_at_once_without_retries_and_without_showing_it()
    {
        await using var nats = await NatsServer.StartAsync();
        _harness.Environment["NATS_URL"] = $"nats://sluice:Wrong9Pass7Word@127.0.0.1:{nats.Port}";
        var channel = _harness.Channel("""
            channels:
              - {name: bus, type: nats, url: "${NATS_URL}", retries: 3}
            """);

        var delivery = await _harness.DriveAsync(_harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel));

        Assert.False(delivery.Delivered);
        Assert.Equal(1, delivery.Attempts);
        Assert.Contains("check the user and password in the channel's url", delivery.LastError);
        Assert.DoesNotContain("Wrong9Pass7Word", delivery.LastError);
        var row = Assert.Single(await _harness.RowsAsync());
        Assert.Equal(("failed", "1"), (row["status"], row["attempts"]));
    }

    [Fact]
    public async Task A_server_that_is_down_is_tried_again_and_the_failure_recorded()
    {
        var nats = await NatsServer.StartAsync();
        var url = nats.Url();
        await nats.DisposeAsync();
        _harness.Environment["NATS_URL"] = url;
        var channel = _harness.Channel("""
            channels:
              - {name: bus, type: nats, url: "${NATS_URL}", retries: 2, timeout: 5s}
            """);

        var delivery = await _harness.DriveAsync(_harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel));

        Assert.False(delivery.Delivered);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal(2, _harness.Events.Count(e => e.Kind == DeliveryEventKind.Retrying));
        Assert.DoesNotContain(nats.Password, delivery.LastError);
        var row = Assert.Single(await _harness.RowsAsync());
        Assert.Equal(("failed", "3", null, null), (row["status"], row["attempts"], row["http_status"], row["exit_code"]));
    }

    private static (string?, string?, string?) Read(string json, string a, string b, string c)
    {
        var root = JsonDocument.Parse(json).RootElement;
        return (root.GetProperty(a).GetString(), root.GetProperty(b).GetString(), root.GetProperty(c).GetString());
    }
}
