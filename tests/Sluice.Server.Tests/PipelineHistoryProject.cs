using System.Text;
using Sluice.Checks;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Sync.Engine;
using Sluice.Warehouses;

namespace Sluice.Server.Tests;

/// <summary>One sync of a CSV file as the test wrote it: what the sync_runs row must say.</summary>
public sealed record CsvLoad(int Sync, string Source, string Table, string File, string Status, long Rows, long Bytes, int? BadLine);

/// <summary>One check the test declared, and what it must come out as on the built rows.</summary>
public sealed record DeclaredCheck(string Name, string Type, string Model, string Column, string Severity, string Status, long FailingRows, long RowsInScope, int Line);

/// <summary>
/// The analytics project on DuckDB with pipeline history made before it is served: two syncs of
/// CSV sources (a file added to, one unchanged, one that fails and is then mended) and two runs
/// of the checks in <see cref="ChecksYaml"/>. What each must have recorded is known from the
/// files and rows the fixture wrote (<see cref="Loads"/>, <see cref="Checks"/>).
/// </summary>
public sealed class PipelineHistoryProject : ServedProject
{
    private const string ProjectYaml = """
        name: analytics
        sources:
          - name: files
            type: csv
            path: data/*.csv
          - name: ledger
            type: csv
            path: ledger/*.csv
            columns: {amount: 'decimal(10,2)'}
        """;

    private const string ChecksYaml = """
        version: 2
        models:
          - name: fct_appointments
            columns:
              - name: id
                tests:
                  - not_null: {name: appointment_id_present}
                  - unique: {name: appointment_id_unique}
              - name: appointment_status
                tests:
                  - accepted_values: {values: [scheduled, completed], severity: warn, name: appointment_status_known}
              - name: fee
                tests:
                  - accepted_range: {min_value: 45, name: appointment_fee_at_least_45}
          - name: dim_company
            columns:
              - name: company_id
                tests:
                  - unique: {name: company_id_unique}
        """;

    private static readonly int Appointments = AnalyticsData.Appointments.Count;

    private readonly List<CsvLoad> _loads = [];

    /// <summary>The checks, in the order declared.</summary>
    public IReadOnlyList<DeclaredCheck> Checks { get; } =
    [
        new("appointment_id_present", "not_null", "fct_appointments", "id", "error", "pass", 0, Appointments, LineOf("appointment_id_present")),
        new("appointment_id_unique", "unique", "fct_appointments", "id", "error", "pass", 0, Appointments, LineOf("appointment_id_unique")),
        new("appointment_status_known", "accepted_values", "fct_appointments", "appointment_status", "warn", "warn",
            AnalyticsData.Appointments.Count(a => a.AppointmentStatus == "cancelled"), Appointments, LineOf("appointment_status_known")),
        new("appointment_fee_at_least_45", "accepted_range", "fct_appointments", "fee", "error", "fail",
            AnalyticsData.Appointments.Count(a => a.Fee < 45), Appointments, LineOf("appointment_fee_at_least_45")),
        new("company_id_unique", "unique", "dim_company", "company_id", "error", "pass", 0, AnalyticsData.Companies.Count, LineOf("company_id_unique")),
    ];

    /// <summary>The invocation ids of the two runs of the checks, in order.</summary>
    public IReadOnlyList<string> CheckRuns { get; } = [Guid.CreateVersion7().ToString("N"), Guid.CreateVersion7().ToString("N")];

    /// <summary>The files each sync loaded (or failed to): the first sync's, then the second's.</summary>
    public IReadOnlyList<CsvLoad> Loads => _loads;

    /// <summary>When the first sync started, and when the last check finished.</summary>
    public (DateTime Before, DateTime After) Made { get; private set; }

    protected override async Task BeforeServingAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(ProjectDirectory, SluiceProject.FileName), ProjectYaml);
        await File.WriteAllTextAsync(Path.Combine(ProjectDirectory, "models", "checks.yml"), ChecksYaml);
        var before = DateTime.UtcNow;

        // The first sync: two files of one source, and a ledger whose third line does not fit.
        Write("data/visits.csv", Visits(1, 12), "files", "visits", "success", 12);
        Write("data/refunds.csv", "refund_id,visit_id,amount\n1,2,5.00\n2,7,12.50\n3,9,3.25\n", "files", "refunds", "success", 3);
        Write("ledger/entries.csv", "entry_id,amount\n1,10.00\n2,oops\n3,7.50\n", "ledger", "entries", "failed", 0, badLine: 3);
        await SyncAsync(1);

        // The second: visits gains five rows and loads again whole, refunds has not changed (so
        // is not loaded), and the mended ledger loads.
        Write("data/visits.csv", Visits(1, 17), "files", "visits", "success", 17);
        Write("ledger/entries.csv", "entry_id,amount\n1,10.00\n2,11.00\n3,7.50\n4,1.25\n", "ledger", "entries", "success", 4);
        await SyncAsync(2);

        foreach (var run in CheckRuns)
        {
            var parsed = Parse(ProjectDirectory);
            await using var warehouse = Warehouse();
            var results = await new CheckRunner(parsed, warehouse).RunAsync(parsed.Checks, new CheckRunOptions { InvocationId = run }, new Unobserved(), CancellationToken.None);
            Assert.Equal(Checks.Select(c => (c.Name, c.Status)), results.Select(r => (r.Check.Name, r.StatusName)));
        }

        Made = (before, DateTime.UtcNow);
    }

    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);

    private static string Visits(int first, int last) =>
        "visit_id,clinic,visited_on\n" + string.Concat(Enumerable.Range(first, last - first + 1).Select(i => $"{i},clinic-{i % 3},2025-01-{i:D2}\n"));

    private static int LineOf(string name) =>
        ChecksYaml.Split('\n').Select((line, index) => (line, index)).Single(l => l.line.Contains($"name: {name}}}", StringComparison.Ordinal)).index + 1;

    private void Write(string file, string text, string source, string table, string status, long rows, int? badLine = null)
    {
        var path = Path.Combine(ProjectDirectory, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        _loads.Add(new CsvLoad(0, source, table, file, status, rows, Encoding.UTF8.GetByteCount(text), badLine));
    }

    // Runs a sync of every source; the files written since the last one are its loads.
    private async Task SyncAsync(int sync)
    {
        await using var warehouse = Warehouse();
        var results = await new SyncRunner(ProjectLoader.Load(ProjectDirectory, _ => null), warehouse, NullSyncObserver.Instance).RunAsync(new SyncOptions(), CancellationToken.None);
        for (var i = 0; i < _loads.Count; i++)
        {
            if (_loads[i].Sync == 0)
            {
                _loads[i] = _loads[i] with { Sync = sync };
            }
        }

        var loaded = results.Where(r => r.Mode != "csv (unchanged)").Select(r => (r.Source, r.Table, r.Status == SyncStatus.Success ? "success" : "failed", r.RowsRead));
        var written = Loads.Where(l => l.Sync == sync).Select(l => (l.Source, l.Table, l.Status, l.Rows));
        Assert.Equal(written.Order(), loaded.Order());
    }

    private IWarehouse Warehouse()
    {
        var project = ProjectLoader.Load(ProjectDirectory, _ => null);
        return WarehouseFactory.Create(project.Warehouse, project.Directory);
    }

    private sealed class Unobserved : ICheckObserver
    {
        public void Finished(CheckResult result)
        {
        }
    }
}
