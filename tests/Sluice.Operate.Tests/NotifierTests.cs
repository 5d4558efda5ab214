using Sluice.Core.Project;
using Sluice.Operate.Notify;
using Sluice.Operate.Schedules;
using Sluice.Testing;

namespace Sluice.Operate.Tests;

public sealed class NotifierTests : IAsyncDisposable
{
    private readonly NotifyHarness _harness = new();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task Disabled_channels_are_left_out_and_a_hanging_channel_does_not_hold_up_the_others()
    {
        await using var slow = await WebhookReceiver.StartAsync(_ => ReceiverAnswer.Hang, _harness.Clock.GetUtcNow);
        await using var fast = await WebhookReceiver.StartAsync(clock: _harness.Clock.GetUtcNow);
        await using var off = await WebhookReceiver.StartAsync(clock: _harness.Clock.GetUtcNow);
        var channels = _harness.Channels($$"""
            channels:
              - {name: slow, type: webhook, url: "{{slow.Url}}", retries: 0, timeout: 4s}
              - {name: fast, type: webhook, url: "{{fast.Url}}"}
              - {name: off, type: webhook, url: "{{off.Url}}", enabled: false}
            """);

        var sending = _harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channels);

        await NotifyHarness.WaitUntilAsync(() => _harness.Events.Any(e => e is { Kind: DeliveryEventKind.Delivered, Channel: "fast" }), "fast was delivered");
        Assert.False(sending.IsCompleted);
        await slow.WaitForRequestsAsync(1);
        _harness.Clock.Advance(TimeSpan.FromSeconds(4));
        var deliveries = await _harness.DriveAsync(sending);

        Assert.Equal([("slow", DeliveryStatus.Failed), ("fast", DeliveryStatus.Delivered)], deliveries.Select(d => (d.Channel, d.Status)));
        Assert.Empty(off.Requests);
        Assert.Equal(["fast", "slow"], (await _harness.RowsAsync()).Select(r => r["channel"]).Order());
    }

    [Fact]
    public async Task Sending_to_one_channel_by_name_reaches_it_even_when_disabled()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var channel = _harness.Channel($"channels:\n  - {{name: off, type: webhook, url: \"{receiver.Url}\", enabled: false}}\n");

        var delivery = await _harness.Notifier.SendAsync(Notifications.Test("shop", channel, NotifyHarness.Start), channel);

        Assert.True(delivery.Delivered, delivery.LastError);
        Assert.Single(receiver.Requests);
        Assert.Equal((NotificationKinds.Test, NotificationSeverity.Info), (delivery.Kind, delivery.Severity));
        Assert.StartsWith("test:off:", delivery.DedupKey);
    }

    [Fact]
    public async Task Cancelling_ends_the_delivery_as_failed_and_recorded_without_throwing()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => ReceiverAnswer.Hang);
        var channel = _harness.Channel($"channels:\n  - {{name: pager, type: webhook, url: \"{receiver.Url}\"}}\n");
        using var stopping = new CancellationTokenSource();

        var sending = _harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel, stopping.Token);
        await receiver.WaitForRequestsAsync(1);
        await stopping.CancelAsync();
        var delivery = await sending;

        Assert.Equal((DeliveryStatus.Failed, 1), (delivery.Status, delivery.Attempts));
        Assert.Equal("cancelled: the process sending it is stopping", delivery.LastError);
        Assert.True(delivery.Recorded);
        Assert.Equal("failed", Assert.Single(await _harness.RowsAsync())["status"]);
    }

    [Fact]
    public async Task A_warehouse_that_cannot_be_written_costs_the_record_not_the_delivery()
    {
        await using var harness = new NotifyHarness(openSession: _ => throw new WarehouseException("warehouse.duckdb is held by sluice serve (pid 4242)"));
        await using var receiver = await WebhookReceiver.StartAsync();
        var channel = harness.Channel($"channels:\n  - {{name: pager, type: webhook, url: \"{receiver.Url}\"}}\n");

        var delivery = await harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channel);

        Assert.True(delivery.Delivered);
        Assert.False(delivery.Recorded);
        Assert.Equal(
            [DeliveryEventKind.NotRecorded, DeliveryEventKind.Delivered],
            harness.Events.Select(e => e.Kind));
        Assert.Contains("held by sluice serve (pid 4242)", harness.Events.First().Error);
    }

    [Fact]
    public void A_failed_scheduled_run_becomes_a_job_failed_notification_keyed_by_its_run()
    {
        var tick = new DateTimeOffset(2026, 3, 2, 3, 15, 0, TimeSpan.Zero);
        var failure = new ScheduleEvent(ScheduleEventKind.TimedOut, "nightly", "run-7", "cron", tick, 3, tick.AddMinutes(40), null, "`build` was cancelled: the run took longer than the schedule's timeout of 00:30:00");

        var notification = Notifications.JobFailed("shop", failure);

        Assert.Equal(
            (NotificationKinds.JobFailed, "Schedule nightly timed out", NotificationSeverity.Error, "job_failed:nightly:run-7", tick.AddMinutes(40)),
            (notification.Kind, notification.Title, notification.Severity, notification.DedupKey, notification.OccurredAt));
        Assert.Equal(failure.Message, notification.Text);
        Assert.Equal(
            [("project", "shop"), ("schedule", "nightly"), ("run", "run-7"), ("reason", "cron"), ("attempts", "3"), ("scheduled_for", "2026-03-02T03:15:00.000Z")],
            notification.Fields.Select(f => (f.Name, f.Value)));
        Assert.Throws<ArgumentException>(() => Notifications.JobFailed("shop", failure with { Kind = ScheduleEventKind.Succeeded }));
    }

    [Fact]
    public void A_notification_checks_its_kind_key_and_field_names()
    {
        Assert.Throws<ArgumentException>(() => new Notification("Job Failed", "t", NotificationSeverity.Error, "", NotifyHarness.Start, "k"));
        Assert.Throws<ArgumentException>(() => new Notification("job_failed", "t", NotificationSeverity.Error, "", NotifyHarness.Start, " "));
        Assert.Throws<ArgumentException>(() => new Notification("job_failed", "t", NotificationSeverity.Error, "", NotifyHarness.Start, "k")
        {
            Fields = [new("a", "1"), new("a", "2")],
        });
        Assert.Throws<ArgumentException>(() => new NotificationLink("log", new Uri("file:///var/log/sluice.log")));
    }
}
