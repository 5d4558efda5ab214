using Sluice.Core.Project;
using Sluice.Testing;

namespace Sluice.Operate.Tests;

/// <summary>
/// A ClickHouse warehouse for one test: <c>_sluice</c> is a database of that name, shared by
/// everything on a server, so each test starts a server of its own.
/// </summary>
internal sealed class PrivateClickHouse : IAsyncDisposable
{
    private ClickHouseServer? _server;

    public async Task<WarehouseSettings> StartAsync()
    {
        _server = await ClickHouseServer.StartPrivateAsync();
        await _server.QueryAsync("create database operate");
        return new ClickHouseWarehouseSettings(_server.Url("operate"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

public sealed class ClickHouseJobAlertTests : JobAlertTests
{
    private readonly PrivateClickHouse _server = new();

    protected override Task<WarehouseSettings> WarehouseAsync() => _server.StartAsync();

    protected override ValueTask DisposeEngineAsync() => _server.DisposeAsync();
}

/// <summary>
/// <c>_sluice.notifications</c> on ClickHouse: a delivered notification is not told twice, and
/// each channel's latest delivery is found without window functions.
/// </summary>
public sealed class ClickHouseNotificationStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private readonly PrivateClickHouse _server = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-ch-notify-").FullName;
    private Core.Warehouse.IWarehouse _warehouse = null!;

    public async Task InitializeAsync()
    {
        _warehouse = Warehouses.WarehouseFactory.Create(await _server.StartAsync(), _directory);
        await using var session = await _warehouse.OpenSessionAsync();
        await Warehouses.Metadata.MetadataSchema.MigrateAsync(session);
    }

    public async Task DisposeAsync()
    {
        await _warehouse.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Deliveries_are_deduplicated_and_each_channels_latest_is_found()
    {
        await using var session = await _warehouse.OpenSessionAsync();
        var written = new List<Notify.Delivery>();
        var minute = 0;
        foreach (var (channel, key, status) in new[]
        {
            ("ops", "alert:a", Notify.DeliveryStatus.Failed),
            ("ops", "alert:a", Notify.DeliveryStatus.Delivered),
            ("ops", "alert:b", Notify.DeliveryStatus.Failed),
            ("team", "alert:a", Notify.DeliveryStatus.Delivered),
            ("team", "alert:c", Notify.DeliveryStatus.Delivered),
        })
        {
            var at = Start.AddMinutes(minute++);
            var delivery = new Notify.Delivery(
                Guid.CreateVersion7().ToString("N"), channel, "webhook", "alert", key, Notify.NotificationSeverity.Warning, $"{key} to {channel}",
                at, status, 1, status == Notify.DeliveryStatus.Failed ? "HTTP 500" : null, status == Notify.DeliveryStatus.Failed ? 500 : 200, null, at, at.AddSeconds(1));
            await Notify.NotificationStore.RecordAsync(session, delivery, CancellationToken.None);
            written.Add(delivery);
        }

        Assert.True(await Notify.NotificationStore.WasDeliveredAsync(session, "ops", "alert", "alert:a", CancellationToken.None));
        Assert.False(await Notify.NotificationStore.WasDeliveredAsync(session, "ops", "alert", "alert:b", CancellationToken.None));
        Assert.False(await Notify.NotificationStore.WasDeliveredAsync(session, "team", "alert", "alert:b", CancellationToken.None));

        var latest = await Notify.NotificationStore.LastByChannelAsync(session, CancellationToken.None);
        Assert.Equal(["ops", "team"], latest.Keys.Order(StringComparer.Ordinal));
        foreach (var channel in new[] { "ops", "team" })
        {
            var expected = written.Where(d => d.Channel == channel).MaxBy(d => d.CompletedAt)!;
            Assert.Equal((expected.Id, expected.DedupKey, expected.Status), (latest[channel].Id, latest[channel].DedupKey, latest[channel].Status));
        }

        Assert.Equal(written.OrderByDescending(d => d.CompletedAt).Take(2).Select(d => d.Id), (await Notify.NotificationStore.LatestAsync(session, null, 2, CancellationToken.None)).Select(d => d.Id));
    }
}

/// <summary>Retention on ClickHouse, whose deletes read a copy of the table taken just before.</summary>
public sealed class ClickHousePrunerTests : Retention.PrunerTests
{
    private readonly PrivateClickHouse _server = new();

    protected override Task<WarehouseSettings> WarehouseAsync() => _server.StartAsync();

    protected override ValueTask DisposeEngineAsync() => _server.DisposeAsync();
}

public sealed class ClickHousePruneKeepsPipelineStateTests : Retention.PruneKeepsPipelineStateTests
{
    private ClickHouseServer? _server;

    protected override async Task<string> WarehouseYamlAsync()
    {
        _server = await ClickHouseServer.StartPrivateAsync();
        await _server.QueryAsync("create database prune_warehouse");
        return $"warehouse:\n  type: clickhouse\n  url: {_server.Url("prune_warehouse")}";
    }

    protected override async ValueTask DisposeEngineAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
