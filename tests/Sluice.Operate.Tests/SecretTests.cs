using Sluice.Operate.Notify;
using Sluice.Testing;

namespace Sluice.Operate.Tests;

public sealed class SecretTests : IAsyncDisposable
{
    // Distinctive, so that any trace of them in a text is found.
    private const string HookSecret = "Hk7qZ2xW9mPv4rTs";
    private const string TokenSecret = "Tk3nWq8Lz5Yb1Xc";
    private const string ArgumentSecret = "Ag6pRt2Vn9Qe4Jm";

    private readonly NotifyHarness _harness = new();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task Secrets_never_appear_in_events_deliveries_records_or_the_channels_shown()
    {
        // Receivers that quote the secrets back in their error answers, as some services do.
        await using var slackHook = await WebhookReceiver.StartAsync(
            _ => ReceiverAnswer.Status(500, $"no hook at /services/T0/B0/{HookSecret}"), _harness.Clock.GetUtcNow);
        await using var pager = await WebhookReceiver.StartAsync(
            _ => ReceiverAnswer.Status(401, $"token {TokenSecret} is revoked"), _harness.Clock.GetUtcNow);
        var down = await WebhookReceiver.StartAsync();
        await down.DisposeAsync();
        _harness.Environment["SLACK_WEBHOOK_URL"] = slackHook.UrlFor($"services/T0/B0/{HookSecret}").AbsoluteUri;
        _harness.Environment["PAGER_TOKEN"] = TokenSecret;
        _harness.Environment["DOWN_URL"] = new Uri(down.Url, $"hooks/{HookSecret}?key={TokenSecret}").AbsoluteUri;
        _harness.Environment["ARGUMENT"] = ArgumentSecret;
        var channels = _harness.Channels($$"""
            channels:
              - {name: slack, type: slack, url: "${SLACK_WEBHOOK_URL}", retries: 1, retry_delay: 1s}
              - {name: pager, type: webhook, url: "{{pager.Url}}", headers: {Authorization: "Bearer ${PAGER_TOKEN}" } }
              - {name: down, type: webhook, url: "${DOWN_URL}", retries: 1, retry_delay: 1s}
              - name: script
                type: command
                command: [/bin/sh, -c, 'echo "cannot use $1" >&2; exit 1', sh, "${ARGUMENT}"]
                retries: 0
            """);

        var deliveries = await _harness.DriveAsync(_harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channels));

        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Failed, d.Status));
        var byChannel = deliveries.ToDictionary(d => d.Channel, d => d.LastError);
        Assert.Equal("HTTP 500 (Internal Server Error): no hook at /***", byChannel["slack"]);
        Assert.Equal("HTTP 401 (Unauthorized): token *** is revoked", byChannel["pager"]);
        Assert.Contains("Connection refused", byChannel["down"]);
        Assert.Equal("`sh` exited with code 1: cannot use ***", byChannel["script"]);

        // The request did carry them: it is the texts around it that must not.
        Assert.Equal($"Bearer {TokenSecret}", Assert.Single(pager.Requests).Headers["authorization"]);

        var texts = new List<string>();
        texts.AddRange(_harness.Events.Select(e => e.ToString()));
        texts.AddRange(deliveries.Select(d => d.ToString()));
        texts.AddRange(channels.Select(c => c.ToString()));
        texts.AddRange(channels.Select(c => c.Target));
        texts.AddRange((await _harness.RowsAsync()).SelectMany(row => row.Values.OfType<string>()));
        Assert.Equal(4, (await _harness.RowsAsync()).Count);
        foreach (var secret in new[] { HookSecret, TokenSecret, ArgumentSecret })
        {
            Assert.DoesNotContain(texts, text => text.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_warehouse_error_that_quotes_a_secret_is_reported_masked()
    {
        await using var harness = new NotifyHarness(openSession: _ => throw new InvalidOperationException($"cannot reach https://hooks.example.com/{HookSecret}"));
        await using var receiver = await WebhookReceiver.StartAsync();
        harness.Environment["HOOK"] = new Uri(receiver.Url, HookSecret).AbsoluteUri;
        var channel = harness.Channel("channels:\n  - {name: hook, type: webhook, url: \"${HOOK}\"}\n");

        var delivery = await harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel);

        Assert.True(delivery.Delivered);
        Assert.False(delivery.Recorded);
        var notRecorded = Assert.Single(harness.Events, e => e.Kind == DeliveryEventKind.NotRecorded);
        Assert.Equal("the delivery could not be recorded in _sluice.notifications: cannot reach https://hooks.example.com/***", notRecorded.Error);
    }
}
