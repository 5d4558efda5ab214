using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Sluice.Core.Project;
using Sluice.Core.Sync;
using Sluice.Core.Warehouse;
using Sluice.Sync.Engine;
using Sluice.Sync.Postgres;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Bench;

/// <summary>Best and median of a part's measured runs.</summary>
internal sealed record Timing(IReadOnlyList<TimeSpan> Runs)
{
    public TimeSpan Best => Runs.Min();

    public TimeSpan Median => Runs.Order().ElementAt(Runs.Count / 2);

    public string RunsText => string.Join(", ", Runs.Select(Format.Seconds));
}

/// <summary>Everything measured for one warehouse.</summary>
internal sealed record WarehouseTimings(
    string Warehouse,
    long Rows,
    Timing Drain,
    Timing Full,
    TimeSpan EngineCopy,
    long ChangedRows,
    Timing Incremental,
    TimeSpan ParityCheck,
    int ParityDays)
{
    /// <summary>Drain time over sync time: 1.00 would mean the sync costs nothing beyond reading the COPY stream.</summary>
    public double FullRatio => Drain.Median / Full.Median;

    public double IncrementalShare => Incremental.Median / Full.Median;
}

/// <summary>
/// Times, in this process, a full sync into a fresh warehouse against draining the same COPY
/// with Npgsql (alternating, so both see the same machine), then incremental syncs after 1 % of
/// the rows changed, then one parity check. Every sync's result is checked against SQL on the source.
/// </summary>
internal sealed class SyncTimings(PostgresServer server, BenchSource source, string table, string warehouse, SyncBenchOptions options)
{
    private readonly Dictionary<string, string> _warehouseYaml = [];

    public async Task<WarehouseTimings> RunAsync()
    {
        var drains = new List<TimeSpan>();
        var fulls = new List<TimeSpan>();
        string? project = null;
        for (var run = 0; run <= options.Runs; run++)
        {
            var drain = await DrainAsync();
            project = await NewProjectAsync(parity: null);
            var (full, result) = await SyncAsync(project, new SyncOptions());
            await VerifyAsync(project, result, options.Rows);
            Console.WriteLine($"    {(run == 0 ? "warm-up" : $"run {run}")}: drain {Format.Seconds(drain)}, full sync {Format.Seconds(full)} ({Format.Rate(options.Rows / full.TotalSeconds)})");
            if (run > 0)
            {
                drains.Add(drain);
                fulls.Add(full);
            }
        }

        var engineCopy = await EngineCopyAsync(project!);
        Console.WriteLine($"    the warehouse alone copying the synced table (create table as select): {Format.Seconds(engineCopy)}");
        var incrementals = new List<TimeSpan>();
        long changed = 0;
        for (var run = 0; run <= options.Runs; run++)
        {
            changed = await source.ChangeOnePercentAsync(table, run);
            var (time, result) = await SyncAsync(project!, new SyncOptions());
            if (result.RowsRead != changed)
            {
                throw new InvalidOperationException($"The incremental sync read {result.RowsRead} rows after {changed} changed.");
            }

            await VerifyAsync(project!, result, options.Rows);
            Console.WriteLine($"    {(run == 0 ? "warm-up" : $"run {run}")}: incremental sync of {Format.Count(changed)} changed rows {Format.Seconds(time)}");
            if (run > 0)
            {
                incrementals.Add(time);
            }
        }

        WriteProject(project!, "received_at");
        var (parityTime, parity) = await SyncAsync(project!, new SyncOptions { ParityOnly = true });
        if (parity.Parity is not { Matches: true } report)
        {
            throw new InvalidOperationException($"The parity check after the benchmark's syncs did not match: {parity.Error ?? parity.Parity?.ToString()}");
        }

        Console.WriteLine($"    parity check ({Format.Count(report.Days.Count)} days, key checksums): {Format.Seconds(parityTime)}");
        return new WarehouseTimings(warehouse, options.Rows, new Timing(drains), new Timing(fulls), engineCopy, changed, new Timing(incrementals), parityTime, report.Days.Count);
    }

    /// <summary>
    /// A second reference: the warehouse engine writing the same rows with no client at all
    /// (<c>create table … as select</c> from the synced table), which bounds any loader from above.
    /// </summary>
    private static async Task<TimeSpan> EngineCopyAsync(string directory)
    {
        var project = ProjectLoader.Load(directory);
        await using var target = WarehouseFactory.Create(project.Warehouse, directory);
        await using var session = await target.OpenSessionAsync();
        var clock = Stopwatch.StartNew();
        await session.ExecuteAsync("create table raw.engine_copy as select * from raw.app__emails");
        var elapsed = clock.Elapsed;
        await session.ExecuteAsync("drop table raw.engine_copy");
        return elapsed;
    }

    /// <summary>The limit: the same COPY statement the sync runs, read value by value with Npgsql and nothing else.</summary>
    private async Task<TimeSpan> DrainAsync()
    {
        var definition = new PostgresSourceDefinition("app", "bench", source.Url, "public", [TableDefinition(null)]);
        await using var postgres = new PostgresSource(definition);
        var described = await postgres.DescribeAsync(definition.Tables[0], CancellationToken.None);
        var kinds = described.Columns.Select(c => c.Type.Kind).ToArray();
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(server.ConnectionString(source.Database));
        await connection.OpenAsync();
        long rows = 0;
        await using (var exporter = await connection.BeginBinaryExportAsync(CopyRows.Statement(described, null, null)))
        {
            while (await exporter.StartRowAsync() != -1)
            {
                foreach (var kind in kinds)
                {
                    if (exporter.IsNull)
                    {
                        await exporter.SkipAsync();
                        continue;
                    }

                    _ = kind switch
                    {
                        ColumnKind.BigInt => await exporter.ReadAsync<long>(),
                        ColumnKind.Integer => await exporter.ReadAsync<int>(),
                        ColumnKind.TimestampTz => await exporter.ReadAsync<DateTime>(),
                        _ => (object)await exporter.ReadAsync<string>(),
                    };
                }

                rows++;
            }
        }

        var elapsed = clock.Elapsed;
        return rows == options.Rows ? elapsed : throw new InvalidOperationException($"The drain read {rows} rows, not {options.Rows}.");
    }

    private SyncTableDefinition TableDefinition(string? parityDate) =>
        new(table, "sluice.yml", ["id"], "updated_at", Lookback.None, [], [], parityDate, null, SyncTableDefinition.DefaultBatchSize, null) { Parity = parityDate is not null };

    private async Task<string> NewProjectAsync(string? parity)
    {
        var directory = Directory.CreateTempSubdirectory("sluice-syncbench-").FullName;
        _warehouseYaml[directory] = await source.WarehouseYamlAsync(warehouse);
        WriteProject(directory, parity);
        return directory;
    }

    private void WriteProject(string directory, string? parityDate) =>
        source.WriteProject(directory, _warehouseYaml[directory], table, parityDate is null ? "false" : $"{{date_column: {parityDate}}}");

    private static async Task<(TimeSpan Time, TableSyncResult Result)> SyncAsync(string directory, SyncOptions syncOptions)
    {
        var project = ProjectLoader.Load(directory);
        await using var target = WarehouseFactory.Create(project.Warehouse, directory);
        var clock = Stopwatch.StartNew();
        var results = await new SyncRunner(project, target, NullSyncObserver.Instance).RunAsync(syncOptions with { }, CancellationToken.None);
        var elapsed = clock.Elapsed;
        var result = results.Single();
        return result.Status == SyncStatus.Success ? (elapsed, result) : throw new InvalidOperationException($"The sync failed: {result.Error}");
    }

    /// <summary>Row count, key sum and total subject length of the live raw rows, against the source's own SQL.</summary>
    private async Task VerifyAsync(string directory, TableSyncResult result, long rows)
    {
        const string Fingerprint = "select cast(count(*) as varchar) || '/' || cast(sum(id) as varchar) || '/' || cast(sum(length(subject)) as varchar) || '/' || cast(sum(risk_score) as varchar) from ";
        var expected = await source.ScalarAsync(Fingerprint + table);
        var project = ProjectLoader.Load(directory);
        await using var target = WarehouseFactory.Create(project.Warehouse, directory);
        await using var session = await target.OpenSessionAsync();
        var actual = Convert.ToString(await session.ScalarAsync(Fingerprint + $"raw.app__{table} where _sluice_deleted_at is null"), CultureInfo.InvariantCulture);
        if (actual != expected || !expected.StartsWith(rows.ToString(CultureInfo.InvariantCulture) + "/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"After the {result.Mode} sync the warehouse holds {actual}, the source {expected} (rows/sum of ids/subject length/risk).");
        }
    }
}
