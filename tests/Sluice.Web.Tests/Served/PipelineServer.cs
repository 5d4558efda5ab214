using System.Globalization;
using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Models.Run;
using Sluice.Models.State;
using Sluice.Server;
using Sluice.Sync.Engine;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Web.Tests.Served;

/// <summary>
/// <see cref="PipelineProject"/> with its history made before serving: a sync, a second sync
/// after more orders arrived, a build of daily_orders over the days before today whose
/// <see cref="PipelineProject.FailingDay"/> fails, and planted rows: check results of two days as `sluice test` writes them (this
/// test project does not reference the checks' engine) and one parity drift (a CSV sync's own
/// parity always matches). Served without keys, on a free loopback port.
/// </summary>
public sealed class PipelineServer : IAsyncLifetime
{
    /// <summary>The drift planted for the orders' first day.</summary>
    public const double PlantedDrift = 0.5;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sluice-web-pipeline-").FullName;

    /// <summary>The day the tests take for today (UTC).</summary>
    public DateOnly Today { get; } = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>When the history was made and served: the browser's clock, so that every run lies before it.</summary>
    public DateTimeOffset Now { get; private set; }

    // When the fixture started: planted results are dated from it, so they precede the browser's clock.
    private DateTime Now0 { get; } = DateTime.UtcNow;

    public SluiceServer Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        PipelineProject.Write(Directory, Today, Today.AddDays(-3));
        await SyncAsync();
        PipelineProject.WriteOrders(Directory, Today, Today.AddDays(-1));
        await SyncAsync();

        var parsed = ProjectParser.Parse(Load());
        await using (var warehouse = WarehouseFactory.Create(parsed.Project.Warehouse, parsed.Project.Directory))
        {
            var options = new RunOptions { From = Today.AddDays(-PipelineProject.Days), To = Today.AddDays(-2), Threads = 1 };
            var built = await new ModelRunner(parsed, warehouse).RunAsync(NodeSelector.Select(parsed.Graph, [], []), options, new SilentRun(), CancellationToken.None);
            Assert.Contains(built, r => r.Status == JobStatus.Failed);
            await PlantDriftAsync(warehouse);
            await PlantCheckResultsAsync(warehouse);
        }

        Server = await SluiceServer.StartAsync(ProjectParser.Parse(Load()), new ServeSettings(Port: 0) { HealthPerMinute = 1_000_000 });
        Client = new HttpClient { BaseAddress = Server.Address };

        Now = DateTimeOffset.UtcNow;
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

    private SluiceProject Load() => ProjectLoader.Load(Directory, _ => null);

    private async Task SyncAsync()
    {
        var project = Load();
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        var synced = await new SyncRunner(project, warehouse, NullSyncObserver.Instance).RunAsync(new SyncOptions(), CancellationToken.None);
        Assert.All(synced, r => Assert.True(r.Status == SyncStatus.Success, $"sync of {r.Source}.{r.Table}: {r.Error}"));
    }

    /// <summary>The sample of failing rows planted for the status check.</summary>
    public static string StatusSample => $"[{{\"id\":5,\"status\":\"{PipelineProject.PlantedStatus}\"}},{{\"id\":23,\"status\":\"{PipelineProject.PlantedStatus}\"}}]";

    // Two days ago every check passed; today the status check fails on the planted status and the
    // amount check warns on the order without one.
    private async Task PlantCheckResultsAsync(IWarehouse warehouse)
    {
        await using var session = await warehouse.OpenSessionAsync();
        var rows = PipelineProject.Days * PipelineProject.PerDay;
        (string Check, string Type, string Column, string Severity, string Status, int Failing, string? Sample, int DaysAgo)[] results =
        [
            ("order_id_unique", "unique", "id", "error", "pass", 0, null, 2),
            ("order_status_known", "accepted_values", "status", "error", "pass", 0, null, 2),
            ("order_amount_present", "not_null", "amount", "warn", "pass", 0, null, 2),
            ("order_id_unique", "unique", "id", "error", "pass", 0, null, 0),
            ("order_status_known", "accepted_values", "status", "error", "fail", 2, StatusSample, 0),
            ("order_amount_present", "not_null", "amount", "warn", "warn", 1, "[{\"id\":11,\"amount\":null}]", 0),
        ];
        foreach (var (r, i) in results.Select((r, i) => (r, i)))
        {
            var at = Now0.AddDays(-r.DaysAgo).AddSeconds(i).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var sample = r.Sample is null ? "null" : $"'{r.Sample}'";
            var message = r.Failing == 0 ? "null" : $"'{r.Failing} of {rows} rows fail'";
            await session.ExecuteAsync($"""
                insert into _sluice.check_results (id, run_id, check_name, check_type, model, column_name, severity, status, failing_rows, rows_in_scope, failing_ratio, mostly, sample, message, scope, location, duration_ms, checked_at)
                values ('planted-{i}', 'planted-run-{r.DaysAgo}', '{r.Check}', '{r.Type}', 'fct_orders', '{r.Column}', '{r.Severity}', '{r.Status}', {r.Failing}, {rows}, {(double)r.Failing / rows}, null, {sample}, {message}, null, 'models/schema.yml:1:1', 5, timestamptz '{at}+00')
                """);
        }
    }

    private async Task PlantDriftAsync(IWarehouse warehouse)
    {
        await using var session = await warehouse.OpenSessionAsync();
        var day = Today.AddDays(-PipelineProject.Days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await session.ExecuteAsync(
            $"insert into _sluice.parity_checks (checked_at, source, table_name, day, source_count, warehouse_count, mismatches, mismatch_ratio) values (now(), 'shop', 'orders', date '{day}', 6, 3, 3, {PlantedDrift.ToString(CultureInfo.InvariantCulture)})");
    }
}
