using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Operate.Schedules;
using Sluice.Warehouses;

namespace Sluice.Operate.Tests;

/// <summary>A command the scheduler ran: when (on the test's clock), what, and the token it was given.</summary>
public sealed record RunnerCall(DateTimeOffset At, string Command, IReadOnlyList<string> Arguments, CancellationToken Token);

/// <summary>
/// A project folder with a DuckDB warehouse and sluice.yml, a clock the test moves, and a step
/// runner whose behaviour each test sets. Schedulers started here stop at Dispose.
/// </summary>
public sealed class SchedulerHarness : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly List<(Scheduler Scheduler, Task Running, CancellationTokenSource Stop)> _started = [];
    private readonly IWarehouse _warehouse;

    public SchedulerHarness(DateTimeOffset start, string schedulesYaml)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("sluice-scheduler-").FullName;
        File.WriteAllText(Path.Combine(Directory, "sluice.yml"), "name: operate_tests\n" + schedulesYaml);
        Clock = new FakeTimeProvider(start);
        Schedules = ScheduleReader.Read(ProjectLoader.Load(Directory));
        _warehouse = WarehouseFactory.Create(new DuckDbWarehouseSettings("warehouse.duckdb"), Directory);
    }

    public string Directory { get; }

    public FakeTimeProvider Clock { get; }

    public IReadOnlyList<Schedule> Schedules { get; }

    public ConcurrentQueue<RunnerCall> Calls { get; } = new();

    public ConcurrentQueue<ScheduleEvent> Events { get; } = new();

    /// <summary>What a command does; by default it succeeds at once.</summary>
    public Func<RunnerCall, TextWriter, Task<int>> Behaviour { get; set; } = (_, _) => Task.FromResult(0);

    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);

    public Scheduler Start(ISchedulerLease? lease = null)
    {
        var scheduler = new Scheduler(Schedules, _warehouse.OpenSessionAsync, RunAsync, Clock, Events.Enqueue, Grace, lease);
        var stop = new CancellationTokenSource();
        _started.Add((scheduler, Task.Run(() => scheduler.RunAsync(stop.Token)), stop));
        return scheduler;
    }

    /// <summary>Stops a scheduler; returns the task that ends when it has stopped.</summary>
    public Task StopAsync(Scheduler scheduler)
    {
        var (_, running, stop) = _started.Single(s => s.Scheduler == scheduler);
        stop.Cancel();
        return running;
    }

    /// <summary>Moves the clock to each time the scheduler waits for, until <paramref name="condition"/> holds.</summary>
    public async Task AdvanceUntilAsync(Scheduler scheduler, Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting until {what}; the clock is at {Clock.GetUtcNow():O}, calls: {string.Join(", ", Calls.Select(c => $"{c.Command}@{c.At:O}"))}.");
            }

            if (scheduler.WaitingUntil is { } until && until > Clock.GetUtcNow())
            {
                Clock.Advance(until - Clock.GetUtcNow());
            }
            else
            {
                await Task.Delay(5);
            }
        }
    }

    /// <summary>Waits (without moving the clock) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting until {what}.");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>The schedules' runs as recorded, oldest first.</summary>
    public async Task<IReadOnlyList<RecordedRun>> RunsAsync()
    {
        await using var session = await _warehouse.OpenSessionAsync();
        await using var reader = await session.QueryAsync(
            "select schedule_name, reason, scheduled_for, status, attempts, exit_code, error_message from _sluice.schedule_runs order by started_at, id");
        var runs = new List<RecordedRun>();
        while (await reader.ReadAsync())
        {
            runs.Add(new RecordedRun(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetString(3),
                reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return runs;
    }

    /// <summary>Each schedule's standing as recorded.</summary>
    public async Task<IReadOnlyDictionary<string, ScheduleStanding>> StandingsAsync()
    {
        await using var session = await _warehouse.OpenSessionAsync();
        return await ScheduleStore.LoadAsync(session, CancellationToken.None);
    }

    public async Task<IWarehouseSession> OpenSessionAsync() => await _warehouse.OpenSessionAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, running, stop) in _started)
        {
            await stop.CancelAsync();
            Clock.Advance(Grace);
            await running.WaitAsync(Deadline);
            stop.Dispose();
        }

        await _warehouse.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private async Task<int> RunAsync(string command, IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var call = new RunnerCall(Clock.GetUtcNow(), command, arguments, cancellationToken);
        Calls.Enqueue(call);
        return await Behaviour(call, error);
    }
}

/// <summary>A row of <c>_sluice.schedule_runs</c>.</summary>
public sealed record RecordedRun(string Schedule, string Reason, DateTimeOffset? ScheduledFor, string Status, int Attempts, int? ExitCode, string? Error);
