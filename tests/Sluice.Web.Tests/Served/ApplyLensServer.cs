using System.Globalization;
using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Demo.ApplyLens;
using Sluice.Models.Run;
using Sluice.Models.State;
using Sluice.Server;
using Sluice.Sync.Engine;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Web.Tests.Served;

/// <summary>
/// The ApplyLens example as <c>sluice demo</c> makes it, in process: the project written by the
/// product's own <see cref="ApplyLensProject"/>, its source CSV files generated from a fixed seed
/// for the <see cref="Days"/> days before today, synced and built on DuckDB, then served on a free
/// loopback port. "Today" is taken once, when the fixture starts, and the browser's clock is held
/// at it: the backfill mart reads the warehouse's own date, so a calendar date fixed in the past
/// would leave its panel without data.
/// </summary>
public sealed class ApplyLensServer : IAsyncLifetime
{
    /// <summary>The generator's seed (the demo's default).</summary>
    public const long Seed = 20_240_601;

    /// <summary>Days of mail: the 90-day range and a little more.</summary>
    public const int Days = 100;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sluice-web-applylens-").FullName;

    /// <summary>The day the tests take for today (UTC); the data ends the day before.</summary>
    public DateOnly Today { get; } = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Noon of <see cref="Today"/>, the time the browser's clock is held at.</summary>
    public DateTimeOffset Now => new(Today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    /// <summary>The product's tables as generated, to compute what the panels must show without the warehouse.</summary>
    public ApplyLensState State { get; private set; } = null!;

    /// <summary>The seconds each partition built today took, from Sluice's job runs, read before serving.</summary>
    public IReadOnlyList<double> BuildSecondsToday { get; private set; } = [];

    public SluiceServer Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        State = ApplyLensState.Build(Seed, Today.AddDays(-Days), Today.AddDays(-1));
        await PrepareAsync(Directory, State, async warehouse => BuildSecondsToday = await BuildSecondsAsync(warehouse));
        Server = await SluiceServer.StartAsync(ProjectParser.Parse(ProjectLoader.Load(Directory, _ => null)), new ServeSettings(Port: 0) { HealthPerMinute = 1_000_000 });
        Client = new HttpClient { BaseAddress = Server.Address };
    }

    /// <summary>
    /// Writes the project into <paramref name="directory"/> with <paramref name="state"/>'s CSV
    /// files, syncs and builds it on DuckDB, then runs <paramref name="after"/> on the warehouse
    /// before it is closed for the server.
    /// </summary>
    public static async Task PrepareAsync(string directory, ApplyLensState state, Func<IWarehouse, Task> after)
    {
        ApplyLensProject.Write(directory, csv: true);
        await ApplyLensCsv.WriteAsync(Path.Combine(directory, ApplyLensProject.DataFolder), state);

        var project = ProjectLoader.Load(directory, _ => null);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        var synced = await new SyncRunner(project, warehouse, NullSyncObserver.Instance).RunAsync(new SyncOptions(), CancellationToken.None);
        Assert.All(synced, r => Assert.True(r.Status == SyncStatus.Success, $"sync of {r.Source}.{r.Table}: {r.Error}"));
        var parsed = ProjectParser.Parse(project);
        var options = new RunOptions { From = state.First, To = state.Last, Threads = 2 };
        var built = await new ModelRunner(parsed, warehouse).RunAsync(NodeSelector.Select(parsed.Graph, [], []), options, new SilentRun(), CancellationToken.None);
        Assert.All(built, r => Assert.True(r.Status == JobStatus.Success, $"{r.Name}: {r.Error}"));
        await after(warehouse);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<IReadOnlyList<double>> BuildSecondsAsync(IWarehouse warehouse)
    {
        await using var session = await warehouse.OpenSessionAsync();
        await using var reader = await session.QueryAsync(
            $"select duration_ms from _sluice.job_runs where target_date is not null and status = 'SUCCESS' and run_date = date '{Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'",
            null,
            CancellationToken.None);
        var seconds = new List<double>();
        while (await reader.ReadAsync())
        {
            seconds.Add(Convert.ToDouble(reader.GetValue(0), CultureInfo.InvariantCulture) / 1000);
        }

        return seconds;
    }
}
