using System.Text.Json;
using Sluice.Operate.Notify;
using Sluice.Testing;

namespace Sluice.Operate.Tests;

public sealed class WebhookDeliveryTests : IAsyncDisposable
{
    private readonly NotifyHarness _harness = new();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task A_webhook_gets_the_versioned_body_with_its_headers_and_the_delivery_is_recorded()
    {
        await using var receiver = await WebhookReceiver.StartAsync(clock: _harness.Clock.GetUtcNow);
        _harness.Environment["PAGER_URL"] = receiver.UrlFor("hooks/sluice?team=data").AbsoluteUri;
        _harness.Environment["PAGER_TOKEN"] = "tok-123456";
        var channel = _harness.Channel("""
            channels:
              - name: pager
                type: webhook
                url: ${PAGER_URL}
                headers:
                  Authorization: Bearer ${PAGER_TOKEN}
                  X-Team: data
            """);

        var delivery = await _harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel);

        Assert.True(delivery.Delivered, delivery.LastError);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(("POST", "/hooks/sluice?team=data"), (request.Method, request.Path));
        Assert.Equal("application/json; charset=utf-8", request.Headers["content-type"]);
        Assert.Equal("Bearer tok-123456", request.Headers["authorization"]);
        Assert.Equal("data", request.Headers["x-team"]);
        Assert.Equal("sluice", request.Headers["user-agent"]);

        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(
            ["version", "id", "kind", "severity", "title", "text", "fields", "links", "occurred_at", "dedup_key", "project", "channel"],
            body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal(delivery.Id, body.GetProperty("id").GetString());
        Assert.Equal("job_failed", body.GetProperty("kind").GetString());
        Assert.Equal("error", body.GetProperty("severity").GetString());
        Assert.Equal("Schedule nightly failed", body.GetProperty("title").GetString());
        Assert.Equal("`build` exited with code 1: model mart_orders failed", body.GetProperty("text").GetString());
        Assert.Equal(
            [("schedule", "nightly"), ("attempts", "3")],
            body.GetProperty("fields").EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
        var link = Assert.Single(body.GetProperty("links").EnumerateArray());
        Assert.Equal(("Run log", "https://sluice.example.com/runs/run-1"), (link.GetProperty("title").GetString(), link.GetProperty("url").GetString()));
        Assert.Equal("2026-03-02T10:00:00.000Z", body.GetProperty("occurred_at").GetString());
        Assert.Equal("job_failed:nightly:run-1", body.GetProperty("dedup_key").GetString());
        Assert.Equal(("shop", "pager"), (body.GetProperty("project").GetString(), body.GetProperty("channel").GetString()));

        var row = Assert.Single(await _harness.RowsAsync());
        Assert.Equal(delivery.Id, row["id"]);
        Assert.Equal(
            ["pager", "webhook", "job_failed", "job_failed:nightly:run-1", "error", "Schedule nightly failed", "delivered", "1", null, "200", null, "0"],
            new[] { "channel", "channel_type", "kind", "dedup_key", "severity", "title", "status", "attempts", "last_error", "http_status", "exit_code", "duration_ms" }.Select(c => row[c]));
        Assert.True(delivery.Recorded);
        Assert.Equal([DeliveryEventKind.Delivered], _harness.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task User_info_in_the_url_is_sent_as_basic_authentication()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = new UriBuilder(receiver.UrlFor("hook")) { UserName = "robot", Password = "pa55 word" }.Uri;
        var channel = _harness.Channel($"channels:\n  - {{name: pager, type: webhook, url: \"{url.AbsoluteUri}\"}}\n");

        var delivery = await _harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel);

        Assert.True(delivery.Delivered, delivery.LastError);
        Assert.Equal("Basic " + Convert.ToBase64String("robot:pa55 word"u8.ToArray()), Assert.Single(receiver.Requests).Headers["authorization"]);
        Assert.Equal($"{receiver.Url}***", channel.Target);
    }

    [Fact]
    public async Task A_500_then_200_is_delivered_on_the_second_attempt_after_the_retry_delay()
    {
        await using var receiver = await WebhookReceiver.StartAsync(
            n => n == 1 ? ReceiverAnswer.Status(500, "database is restarting") : ReceiverAnswer.Status(200),
            _harness.Clock.GetUtcNow);
        var channel = _harness.Channel($"channels:\n  - {{name: pager, type: webhook, url: \"{receiver.Url}\"}}\n");

        var delivery = await _harness.DriveAsync(_harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel));

        Assert.Equal((DeliveryStatus.Delivered, 2, 200), (delivery.Status, delivery.Attempts, delivery.HttpStatus));
        Assert.Equal("HTTP 500 (Internal Server Error): database is restarting", delivery.LastError);
        Assert.Equal([NotifyHarness.Start, NotifyHarness.Start.AddSeconds(5)], receiver.Requests.Select(r => r.At));

        // Every attempt carries the same body: a receiver can tell the retry by its id.
        Assert.Equal(receiver.Requests[0].Body, receiver.Requests[1].Body);

        var retry = Assert.Single(_harness.Events, e => e.Kind == DeliveryEventKind.Retrying);
        Assert.Equal((1, TimeSpan.FromSeconds(5)), (retry.Attempt, retry.RetryIn));
        var row = Assert.Single(await _harness.RowsAsync());
        Assert.Equal(("delivered", "2", "5000"), (row["status"], row["attempts"], row["duration_ms"]));
    }

    [Fact]
    public async Task A_receiver_that_always_answers_500_is_tried_four_times_with_doubling_delays_and_the_failure_recorded()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => ReceiverAnswer.Status(503, "overloaded"), _harness.Clock.GetUtcNow);
        var channel = _harness.Channel($"channels:\n  - {{name: pager, type: webhook, url: \"{receiver.Url}\"}}\n");

        // Never throws: the failure is the delivery's status.
        var delivery = await _harness.DriveAsync(_harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel));

        Assert.Equal((DeliveryStatus.Failed, 4, 503), (delivery.Status, delivery.Attempts, delivery.HttpStatus));
        Assert.Equal("HTTP 503 (Service Unavailable): overloaded", delivery.LastError);
        Assert.Equal(
            [0, 5, 15, 35],
            receiver.Requests.Select(r => (r.At - NotifyHarness.Start).TotalSeconds));
        Assert.Equal(
            [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)],
            _harness.Events.Where(e => e.Kind == DeliveryEventKind.Retrying).Select(e => e.RetryIn!.Value));
        var failed = Assert.Single(_harness.Events, e => e.Kind == DeliveryEventKind.Failed);
        Assert.Equal((4, "HTTP 503 (Service Unavailable): overloaded"), (failed.Attempt, failed.Error));

        var row = Assert.Single(await _harness.RowsAsync());
        Assert.Equal(("failed", "4", "HTTP 503 (Service Unavailable): overloaded", "503", "35000"), (row["status"], row["attempts"], row["last_error"], row["http_status"], row["duration_ms"]));
    }

    [Theory]
    [InlineData(400, "invalid_payload")]
    [InlineData(403, "invalid_token")]
    [InlineData(404, "no_service")]
    [InlineData(410, "channel_is_archived")]
    public async Task A_4xx_answer_other_than_429_is_not_retried(int status, string reason)
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => ReceiverAnswer.Status(status, reason), _harness.Clock.GetUtcNow);
        var channel = _harness.Channel($"channels:\n  - {{name: pager, type: webhook, url: \"{receiver.Url}\"}}\n");

        var delivery = await _harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel);

        Assert.Equal((DeliveryStatus.Failed, 1, status), (delivery.Status, delivery.Attempts, delivery.HttpStatus));
        Assert.StartsWith($"HTTP {status} (", delivery.LastError);
        Assert.EndsWith($"): {reason}", delivery.LastError);
        Assert.Single(receiver.Requests);
        Assert.DoesNotContain(_harness.Events, e => e.Kind == DeliveryEventKind.Retrying);
    }

    [Fact]
    public async Task A_429_is_retried_after_the_wait_its_Retry_After_asks_for()
    {
        await using var receiver = await WebhookReceiver.StartAsync(
            n => n == 1 ? ReceiverAnswer.Status(429, "rate_limited", ("Retry-After", "30")) : ReceiverAnswer.Status(200),
            _harness.Clock.GetUtcNow);
        var channel = _harness.Channel($"channels:\n  - {{name: pager, type: webhook, url: \"{receiver.Url}\", retries: 1}}\n");

        var delivery = await _harness.DriveAsync(_harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel));

        Assert.Equal((DeliveryStatus.Delivered, 2), (delivery.Status, delivery.Attempts));
        Assert.Equal([0, 30], receiver.Requests.Select(r => (r.At - NotifyHarness.Start).TotalSeconds));
    }

    [Fact]
    public async Task A_receiver_that_hangs_times_out_each_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => ReceiverAnswer.Hang, _harness.Clock.GetUtcNow);
        var channel = _harness.Channel($"channels:\n  - {{name: pager, type: webhook, url: \"{receiver.Url}\", retries: 1, retry_delay: 1s, timeout: 2s}}\n");

        // Each attempt's timeout has started once its request is in: the clock is moved past it then.
        var timedOut = 0;
        var delivery = await _harness.DriveAsync(_harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel), idle: () =>
        {
            if (receiver.Requests.Count > timedOut)
            {
                timedOut++;
                _harness.Clock.Advance(TimeSpan.FromSeconds(2));
            }
        });

        Assert.Equal((DeliveryStatus.Failed, 2, null), (delivery.Status, delivery.Attempts, delivery.HttpStatus));
        Assert.Equal("no answer within the channel's timeout of 2s", delivery.LastError);
        Assert.Equal([0, 3], receiver.Requests.Select(r => (r.At - NotifyHarness.Start).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(5), delivery.CompletedAt - delivery.StartedAt);
    }

    [Fact]
    public async Task A_receiver_that_is_down_yields_a_recorded_failure_and_no_exception()
    {
        var receiver = await WebhookReceiver.StartAsync();
        var url = receiver.Url;
        await receiver.DisposeAsync();
        var channel = _harness.Channel($"channels:\n  - {{name: pager, type: webhook, url: \"{url}\", retries: 2, retry_delay: 1s}}\n");

        var delivery = await _harness.DriveAsync(_harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel));

        Assert.Equal((DeliveryStatus.Failed, 3, null), (delivery.Status, delivery.Attempts, delivery.HttpStatus));
        Assert.Contains("Connection refused", delivery.LastError);
        var row = Assert.Single(await _harness.RowsAsync());
        Assert.Equal(("failed", "3", delivery.LastError), (row["status"], row["attempts"], row["last_error"]));
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_not_retried()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => ReceiverAnswer.Status(301, "", ("Location", "https://elsewhere.example.com/hook")), _harness.Clock.GetUtcNow);
        var channel = _harness.Channel($"channels:\n  - {{name: pager, type: webhook, url: \"{receiver.Url}\"}}\n");

        var delivery = await _harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel);

        Assert.Equal((DeliveryStatus.Failed, 1, 301), (delivery.Status, delivery.Attempts, delivery.HttpStatus));
        Assert.Contains("the URL redirects", delivery.LastError);
        Assert.DoesNotContain("elsewhere", delivery.LastError);
    }
}
