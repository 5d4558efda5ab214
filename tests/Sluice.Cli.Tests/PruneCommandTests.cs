using System.Globalization;
using System.Text.Json;
using Sluice.Core.Project;
using Sluice.Testing;
using Sluice.Warehouses;
using Sluice.Warehouses.Metadata;

namespace Sluice.Cli.Tests;

/// <summary>
/// <c>sluice prune</c> as a user runs it. The sluice process reads the machine's clock, so the
/// rows are written a year before it or a day before it: nothing the run itself takes can move
/// one across the cutoff.
/// </summary>
public sealed class PruneCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_dry_run_counts_without_deleting_and_prune_deletes_what_it_counted_and_prints_each_table()
    {
        var directory = await ProjectAsync("warehouse:\n  type: duckdb\n  path: warehouse.duckdb\n", "retention:\n  default: forever\n  alert_events: 30d\n  notifications: 60d\n");
        await WriteHistoryAsync(directory);

        var dry = await SluiceProcess.RunAsync(directory, "prune", "--dry-run", "--format", "json");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        var preview = JsonDocument.Parse(dry.Stdout).RootElement;
        Assert.True(preview.GetProperty("dry_run").GetBoolean());
        Assert.Equal(3, Table(preview, "alert_events").GetProperty("rows").GetInt64());
        Assert.Equal("30d", Table(preview, "alert_events").GetProperty("retention").GetString());
        Assert.Equal(1, Table(preview, "notifications").GetProperty("rows").GetInt64());
        Assert.Equal(("forever", JsonValueKind.Null), (Table(preview, "job_runs").GetProperty("retention").GetString(), Table(preview, "job_runs").GetProperty("cutoff").ValueKind));
        Assert.Equal((4L, 2L), await CountsAsync(directory));

        var prune = await SluiceProcess.RunAsync(directory, "prune");
        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.Matches(@"_sluice\.alert_events\s*│\s*30d\s*│\s*\d{4}-\d\d-\d\d \d\d:\d\d\s*│\s*3", prune.Stdout);
        Assert.Matches(@"_sluice\.job_runs\s*│\s*forever\s*│\s*-\s*│\s*0", prune.Stdout);
        Assert.Contains("Deleted 4 row(s) of history", prune.Stderr);
        Assert.Equal((1L, 1L), await CountsAsync(directory));

        var again = await SluiceProcess.RunAsync(directory, "prune", "--format", "json");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.All(JsonDocument.Parse(again.Stdout).RootElement.GetProperty("tables").EnumerateArray(), t => Assert.Equal(0, t.GetProperty("rows").GetInt64()));
    }

    [Fact]
    public async Task Prune_works_on_a_postgres_warehouse()
    {
        var server = await PostgresServer.GetAsync();
        var directory = await ProjectAsync($"warehouse:\n  type: postgres\n  url: {await server.CreateDatabaseAsync("prune_cli")}\n", "retention:\n  alert_events: 30d\n");
        await WriteHistoryAsync(directory);

        var prune = await SluiceProcess.RunAsync(directory, "prune", "--format", "json");

        Assert.True(prune.ExitCode == 0, prune.ToString());
        var tables = JsonDocument.Parse(prune.Stdout).RootElement;
        Assert.False(tables.GetProperty("dry_run").GetBoolean());
        Assert.Equal(3, Table(tables, "alert_events").GetProperty("rows").GetInt64());
        Assert.Equal(1, Table(tables, "notifications").GetProperty("rows").GetInt64());
        Assert.Equal((1L, 1L), await CountsAsync(directory));
    }

    [Theory]
    [InlineData("retention:\n  job_runs: 0d\n", "sluice.yml:6:13: retention.job_runs is 0d, which would keep nothing; give a duration longer than zero, such as 30d, or forever to keep everything.")]
    [InlineData("retention:\n  sync_run: 30d\n", "sluice.yml:6:3: unknown key 'sync_run' in retention; the allowed keys are default, job_runs, sync_runs,")]
    public async Task A_bad_retention_stops_with_its_line_and_exit_code_2_before_touching_the_warehouse(string retention, string error)
    {
        var directory = await ProjectAsync("warehouse:\n  type: duckdb\n  path: warehouse.duckdb\n", retention);

        var prune = await SluiceProcess.RunAsync(directory, "prune");

        Assert.True(prune.ExitCode == 2, prune.ToString());
        Assert.Contains($"error: {Path.Combine(directory, "sluice.yml")}:{error[("sluice.yml:".Length)..]}", prune.Stderr);
        Assert.False(File.Exists(Path.Combine(directory, "warehouse.duckdb")));
    }

    private async Task<string> ProjectAsync(string warehouse, string retention)
    {
        var directory = _temp.Combine($"project{Guid.NewGuid():N}"[..16]);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, SluiceProject.FileName), $"name: prune_cli\n{warehouse}{retention}");
        return directory;
    }

    // Alert events: three a year old, one a day old. Deliveries to one channel: a year old and a
    // day old (the newer one is the channel's last, which is kept anyway).
    private static async Task WriteHistoryAsync(string directory)
    {
        var project = ProjectLoader.Load(directory);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        await using var session = await warehouse.OpenSessionAsync();
        await MetadataSchema.MigrateAsync(session);
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, at) in new[] { ("e1", now.AddDays(-365)), ("e2", now.AddDays(-366)), ("e3", now.AddDays(-367)), ("e4", now.AddDays(-1)) })
        {
            await session.ExecuteAsync(
                "insert into _sluice.alert_events (id, rule_name, subject, kind, severity, occurred_at, summary, notify, silenced) values ($1, 'r', 's', 'FIRING', 'error', $2, 'x', true, false)",
                [id, at]);
        }

        foreach (var (id, at) in new[] { ("n1", now.AddDays(-365)), ("n2", now.AddDays(-1)) })
        {
            await session.ExecuteAsync(
                "insert into _sluice.notifications (id, channel, channel_type, kind, dedup_key, severity, title, occurred_at, status, attempts, started_at, completed_at, duration_ms) values ($1, 'ops', 'slack', 'test', 'k', 'info', 't', $2, 'delivered', 1, $2, $2, 0)",
                [id, at]);
        }
    }

    private static async Task<(long Events, long Notifications)> CountsAsync(string directory)
    {
        var project = ProjectLoader.Load(directory);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        await using var session = await warehouse.OpenSessionAsync();
        return (
            Convert.ToInt64(await session.ScalarAsync("select count(*) from _sluice.alert_events"), CultureInfo.InvariantCulture),
            Convert.ToInt64(await session.ScalarAsync("select count(*) from _sluice.notifications"), CultureInfo.InvariantCulture));
    }

    private static JsonElement Table(JsonElement report, string name) =>
        report.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == name);
}
