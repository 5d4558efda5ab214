using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Operate.Notify;
using Sluice.Warehouses;

namespace Sluice.Operate.Tests;

/// <summary>
/// A project folder with a warehouse (a DuckDB file unless told otherwise), a clock the test
/// moves, and a notifier that records into the warehouse and reports into <see cref="Events"/>.
/// </summary>
public sealed class NotifyHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly IWarehouse _warehouse;

    public NotifyHarness(WarehouseSettings? warehouse = null, Func<CancellationToken, Task<IWarehouseSession>>? openSession = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("sluice-notify-").FullName;
        _warehouse = WarehouseFactory.Create(warehouse ?? new DuckDbWarehouseSettings("warehouse.duckdb"), Directory);
        Notifier = new Notifier("shop", openSession ?? _warehouse.OpenSessionAsync, Clock, Events.Enqueue);
    }

    public string Directory { get; }

    public FakeTimeProvider Clock { get; } = new(Start);

    public ConcurrentQueue<DeliveryEvent> Events { get; } = new();

    public Notifier Notifier { get; }

    /// <summary>What <c>${NAME}</c> reads in sluice.yml.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public string ConfigPath => Path.Combine(Directory, "sluice.yml");

    /// <summary>Writes sluice.yml with <paramref name="yaml"/> and reads its channels.</summary>
    public IReadOnlyList<NotificationChannel> Channels(string yaml)
    {
        File.WriteAllText(ConfigPath, "name: shop\n" + yaml);
        return ChannelReader.Read(ProjectLoader.Load(Directory, name => Environment.GetValueOrDefault(name)));
    }

    public NotificationChannel Channel(string yaml) => Channels(yaml).Single();

    /// <summary>
    /// Runs <paramref name="sending"/> to its end, moving the clock over each retry's wait as it
    /// is reported (the wait has started by then), and calling <paramref name="idle"/> between
    /// looks, for tests that move the clock on other conditions.
    /// </summary>
    public async Task<T> DriveAsync<T>(Task<T> sending, Action? idle = null)
    {
        var deadline = DateTime.UtcNow + Deadline;
        var handled = 0;
        while (!sending.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for the delivery; the clock is at {Clock.GetUtcNow():O}, events: {string.Join(", ", Events.Select(e => $"{e.Kind}#{e.Attempt}"))}.");
            }

            var retries = Events.Where(e => e.Kind == DeliveryEventKind.Retrying).ToList();
            if (retries.Count > handled)
            {
                Clock.Advance(retries[handled++].RetryIn!.Value);
                continue;
            }

            idle?.Invoke();
            await Task.Delay(5);
        }

        return await sending;
    }

    /// <summary>Waits (without moving the clock) until <paramref name="condition"/> holds; fails after a minute.</summary>
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

    /// <summary>Every row of <c>_sluice.notifications</c>, oldest first, every column as text.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string?>>> RowsAsync()
    {
        await using var session = await _warehouse.OpenSessionAsync();
        await using var reader = await session.QueryAsync("select * from _sluice.notifications order by started_at, id");
        var rows = new List<IReadOnlyDictionary<string, string?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, string?>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task<IWarehouseSession> OpenSessionAsync() => await _warehouse.OpenSessionAsync();

    public async ValueTask DisposeAsync()
    {
        Notifier.Dispose();
        await _warehouse.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    public static Notification JobFailed(string schedule = "nightly") =>
        new(NotificationKinds.JobFailed, $"Schedule {schedule} failed", NotificationSeverity.Error, "`build` exited with code 1: model mart_orders failed", Start, $"job_failed:{schedule}:run-1")
        {
            Fields = [new("schedule", schedule), new("attempts", "3")],
            Links = [new("Run log", new Uri("https://sluice.example.com/runs/run-1"))],
        };
}
