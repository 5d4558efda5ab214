using Sluice.Operate.Schedules;

namespace Sluice.Operate.Tests;

/// <summary>
/// Schedule state on ClickHouse, which has no transactions and no ON CONFLICT: a schedule's row
/// is replaced, never doubled, and a crash between a run's row and its schedule's leaves a last
/// tick the scheduler still finds.
/// </summary>
public sealed class ClickHouseScheduleStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Tick = new(2026, 3, 2, 3, 15, 0, TimeSpan.Zero);
    private readonly PrivateClickHouse _server = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-ch-schedules-").FullName;
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
    public async Task Planning_and_finishing_replace_the_schedule_s_row_and_keep_its_last_tick()
    {
        await using var session = await _warehouse.OpenSessionAsync();
        await ScheduleStore.PlanAsync(session, "nightly", Tick, Tick.AddHours(-1), CancellationToken.None);
        var id = await ScheduleStore.StartAsync(session, "nightly", "cron", Tick, Tick, CancellationToken.None);
        await ScheduleStore.FinishAsync(session, id, "nightly", Tick, RunStatus.Success, 0, null, Tick, Tick.AddMinutes(2), Tick.AddDays(1), CancellationToken.None);
        await ScheduleStore.PlanAsync(session, "nightly", Tick.AddDays(2), Tick.AddMinutes(3), CancellationToken.None);

        var standing = Assert.Single(await ScheduleStore.LoadAsync(session, CancellationToken.None)).Value;
        Assert.Equal(Tick, standing.LastTick);
        Assert.Equal(RunStatus.Success, standing.LastStatus);
        Assert.Equal(Tick.AddDays(2), standing.NextDue);
        await using var reader = await session.QueryAsync("select count() from _sluice.schedules", null, CancellationToken.None);
        Assert.True(await reader.ReadAsync(CancellationToken.None));
        Assert.Equal(1L, Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_crash_after_a_run_finished_but_before_its_schedule_s_row_leaves_the_tick_recorded_as_run()
    {
        await using var session = await _warehouse.OpenSessionAsync();
        await ScheduleStore.PlanAsync(session, "nightly", Tick, Tick.AddHours(-1), CancellationToken.None);
        var id = await ScheduleStore.StartAsync(session, "nightly", "cron", Tick, Tick, CancellationToken.None);

        // The run's row finished, then the process died: the schedule's row was deleted and not
        // inserted again, or not touched at all.
        await ScheduleStore.FinishAsync(session, id, "nightly", null, RunStatus.Success, 0, null, Tick, Tick.AddMinutes(2), null, CancellationToken.None);
        Assert.Equal(Tick, (await ScheduleStore.LoadAsync(session, CancellationToken.None))["nightly"].LastTick);
        await session.ExecuteAsync("delete from _sluice.schedules where name = $1", ["nightly"], CancellationToken.None);
        Assert.Equal(Tick, (await ScheduleStore.LoadAsync(session, CancellationToken.None))["nightly"].LastTick);

        // A run cut short by a stop records no tick, and is not taken for one.
        var cancelled = await ScheduleStore.StartAsync(session, "nightly", "cron", Tick.AddDays(1), Tick.AddDays(1), CancellationToken.None);
        await ScheduleStore.FinishAsync(session, cancelled, "nightly", null, RunStatus.Cancelled, 130, "stopped", Tick.AddDays(1), Tick.AddDays(1).AddMinutes(1), null, CancellationToken.None);
        Assert.Equal(Tick, (await ScheduleStore.LoadAsync(session, CancellationToken.None))["nightly"].LastTick);
    }
}
