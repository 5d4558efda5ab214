using Sluice.Core.Project;
using Sluice.Operate.Notify;
using Sluice.Testing;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Tests;

/// <summary>The deliveries' records, written and read the same way on every warehouse engine.</summary>
public abstract class DeliveryRecordTests
{
    protected abstract Task<WarehouseSettings> WarehouseAsync();

    [Fact]
    public async Task Deliveries_are_recorded_with_their_outcome_and_read_back_per_channel()
    {
        await using var harness = new NotifyHarness(await WarehouseAsync());
        await using var receiver = await WebhookReceiver.StartAsync(n => n == 2 ? ReceiverAnswer.Status(404, "no_service") : ReceiverAnswer.Status(200));
        var channels = harness.Channels($$"""
            channels:
              - {name: ops, type: webhook, url: "{{receiver.Url}}"}
              - {name: pager, type: webhook, url: "{{receiver.UrlFor("pager")}}"}
            """);
        var firing = new Notification(NotificationKinds.AlertFiring, "Orders stopped", NotificationSeverity.Critical, "no orders for 2h", NotifyHarness.Start, "alert:orders:1");

        var first = await harness.Notifier.SendAsync(firing, channels[0]);
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await harness.Notifier.SendAsync(firing, channels[1]);
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var third = await harness.Notifier.SendAsync(NotifyHarness.JobFailed(), channels[0]);

        await using var session = await harness.OpenSessionAsync();
        Assert.Equal(MetadataSchema.LatestVersion, await MetadataSchema.GetVersionAsync(session));
        var latest = await NotificationStore.LatestAsync(session, null, 10, CancellationToken.None);
        Assert.Equal([third, second, first], latest);
        Assert.Equal(
            (DeliveryStatus.Failed, 1, "HTTP 404 (Not Found): no_service", 404, NotificationSeverity.Critical, NotifyHarness.Start.AddMinutes(1)),
            (second.Status, second.Attempts, second.LastError, second.HttpStatus, second.Severity, second.StartedAt));

        Assert.Equal([third], await NotificationStore.LatestAsync(session, "ops", 1, CancellationToken.None));
        var last = await NotificationStore.LastByChannelAsync(session, CancellationToken.None);
        Assert.Equal((third, second), (last["ops"], last["pager"]));

        Assert.True(await NotificationStore.WasDeliveredAsync(session, "ops", NotificationKinds.AlertFiring, "alert:orders:1", CancellationToken.None));
        Assert.False(await NotificationStore.WasDeliveredAsync(session, "pager", NotificationKinds.AlertFiring, "alert:orders:1", CancellationToken.None));
        Assert.False(await NotificationStore.WasDeliveredAsync(session, "ops", NotificationKinds.AlertResolved, "alert:orders:1", CancellationToken.None));
    }
}

public sealed class DuckDbDeliveryRecordTests : DeliveryRecordTests
{
    protected override Task<WarehouseSettings> WarehouseAsync() => Task.FromResult<WarehouseSettings>(new DuckDbWarehouseSettings("warehouse.duckdb"));
}

public sealed class PostgresDeliveryRecordTests : DeliveryRecordTests
{
    protected override async Task<WarehouseSettings> WarehouseAsync() =>
        new PostgresWarehouseSettings(await (await PostgresServer.GetAsync()).CreateDatabaseAsync("notifications"));
}
