using System.Diagnostics;
using Sluice.Core.Project;
using Sluice.Core.Sync;
using Sluice.Core.Warehouse;
using Sluice.Sync.Engine;
using Sluice.Warehouses.Metadata;

namespace Sluice.Sync.Csv;

/// <summary>
/// Syncs a CSV source. Each file is loaded once, in one transaction with its record in
/// <c>_sluice.csv_files</c> (name, size, SHA-256): an unchanged file is skipped, a changed one
/// replaces the rows it loaded before, and a malformed one loads nothing.
/// </summary>
public sealed class CsvSync(SluiceProject project, IWarehouse warehouse, CsvSourceDefinition source, SyncOptions options, ISyncObserver observer)
{
    private static readonly TableName FilesTable = new(MetadataSchema.Name, "csv_files");

    /// <summary>Loads every new or changed file and returns one result per file.</summary>
    public async Task<IReadOnlyList<TableSyncResult>> RunAsync(CancellationToken cancellationToken)
    {
        var files = CsvFiles.Match(project.Directory, source)
            .Where(f => options.Includes(f.Table))
            .ToList();
        if (files.Count == 0)
        {
            observer.Warning($"source '{source.Name}': no file matches {source.Path}{(options.NamesTables ? $" for table {string.Join(", ", options.Tables!)}" : string.Empty)}; nothing to load.");
        }

        // One in-memory DuckDB, from the process's pool, detects every file's columns.
        using var detection = CsvReading.RentMemory();
        var results = new List<TableSyncResult>();
        foreach (var file in files)
        {
            var result = await LoadAsync(file, detection.Connection, cancellationToken);
            observer.TableFinished(result);
            results.Add(result);
        }

        if (source.Parity)
        {
            await CheckParityAsync(files, results, cancellationToken);
        }

        return results;
    }

    // Each table whose files all loaded is compared with its files; the report goes with the
    // table's last result. A check that cannot run fails that result, as for PostgreSQL tables.
    private async Task CheckParityAsync(IReadOnlyList<CsvFile> files, List<TableSyncResult> results, CancellationToken cancellationToken)
    {
        foreach (var group in files.Select((file, index) => (file, index)).GroupBy(f => f.file.Table))
        {
            var last = group.Last().index;
            if (group.Any(f => results[f.index].Status != SyncStatus.Success))
            {
                continue;
            }

            try
            {
                await using var session = await warehouse.OpenSessionAsync(cancellationToken);
                var report = await Parity.CsvParity.RunAsync(session, source, group.Key, [.. group.Select(f => f.file)], cancellationToken);
                await Parity.ParityStore.WriteAsync(session, report, cancellationToken);
                observer.ParityChecked(report);
                results[last] = results[last] with { Parity = report };
            }
            catch (SluiceException e) when (!cancellationToken.IsCancellationRequested)
            {
                results[last] = results[last] with { Status = SyncStatus.Failed, Error = SecretMasker.Mask(e.Message), IsUserFault = SyncFailures.IsUserFault(e) };
            }
        }
    }

    private async Task<TableSyncResult> LoadAsync(CsvFile file, DuckDb.DuckDbConnection detection, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var startedAt = DateTime.UtcNow;
        var runId = Guid.NewGuid().ToString("N");
        observer.TableStarted(source.Name, file.Table, null);
        long rows = 0;
        var (size, sha256) = await file.FingerprintAsync(cancellationToken);
        try
        {
            var raw = RawTables.For(source.Name, file.Table);
            await using var session = await warehouse.OpenSessionAsync(cancellationToken);
            if (!options.FullRefresh && await IsLoadedAsync(session, file, size, sha256, cancellationToken))
            {
                return new TableSyncResult(source.Name, file.Table, "csv (unchanged)", SyncStatus.Success, 0, 0, 0, 0, null, null, clock.Elapsed);
            }

            var reading = await CsvReading.OpenAsync(source, file, detection, cancellationToken);
            var sourceColumns = reading.Columns.Select(c => new ColumnSpec(c.Name, c.Type)).ToList();
            ColumnSpec[] system = [new(RawTables.SyncedAt, ColumnType.TimestampTz), new(RawTables.DeletedAt, ColumnType.TimestampTz), new(RawTables.SourceFile, ColumnType.Text)];
            var existing = await session.DescribeTableAsync(raw, cancellationToken);
            var plan = SchemaPlan.Create(raw, sourceColumns, system, existing, warehouse.Dialect);
            foreach (var dropped in plan.Dropped)
            {
                observer.Warning($"{raw}: {file.Name} has no column '{dropped}'; its rows leave it NULL.");
            }

            var q = warehouse.Dialect;
            await using var transaction = await session.BeginTransactionAsync(cancellationToken);
            if (existing is null)
            {
                await session.CreateSchemaAsync(RawTables.Schema, cancellationToken);
                await session.CreateTableAsync(raw, plan.Columns, cancellationToken);
            }
            else
            {
                foreach (var column in plan.Added)
                {
                    await session.AddColumnAsync(raw, column, cancellationToken);
                }

                foreach (var column in plan.Widened)
                {
                    await session.AlterColumnTypeAsync(raw, column.Name, column.Type, cancellationToken);
                }
            }

            await session.ExecuteAsync($"delete from {q.Quote(raw)} where {q.Quote(RawTables.SourceFile)} = $1", [file.Name], cancellationToken);
            var names = reading.Columns.Select(c => c.Name).Append(RawTables.SyncedAt).Append(RawTables.DeletedAt).Append(RawTables.SourceFile).ToList();
            if (warehouse.Capabilities.ReadsLocalCsv)
            {
                try
                {
                    rows = await session.ExecuteAsync(
                        $"insert into {q.Quote(raw)} ({string.Join(", ", names.Select(q.Quote))}) {reading.SelectSql(", $1::timestamptz, null, $2")}",
                        [startedAt, file.Name],
                        cancellationToken);
                }
                catch (WarehouseException e) when (e.Message.Contains("CSV", StringComparison.Ordinal) || e.ErrorCode is "Conversion" or "InvalidInput")
                {
                    throw CsvReading.Problem(source, file, e.Message);
                }
            }
            else
            {
                var count = reading.Columns.Count;
                rows = await session.BulkLoadAsync(
                    raw,
                    names,
                    reading.ReadRowsAsync(3, row =>
                    {
                        row[count] = startedAt;
                        row[count + 2] = file.Name;
                    }, cancellationToken),
                    cancellationToken);
            }

            await session.ExecuteAsync($"delete from {q.Quote(FilesTable)} where source = $1 and table_name = $2 and file_name = $3", [source.Name, file.Table, file.Name], cancellationToken);
            await session.ExecuteAsync(
                $"insert into {q.Quote(FilesTable)} (source, table_name, file_name, size_bytes, sha256, rows_loaded, loaded_at) values ($1, $2, $3, $4, $5, $6, $7)",
                [source.Name, file.Table, file.Name, size, sha256, rows, DateTime.UtcNow],
                cancellationToken);
            await SyncStateStore.WriteRunAsync(session, Run(runId, file, startedAt, "success", rows, size, null), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            observer.Progress(source.Name, file.Table, rows);
            return new TableSyncResult(source.Name, file.Table, "csv", SyncStatus.Success, rows, rows, 0, size, null, null, clock.Elapsed);
        }
        catch (SluiceException e) when (!cancellationToken.IsCancellationRequested)
        {
            var message = SecretMasker.Mask(e.Message);
            await SyncFailures.RecordAsync(warehouse, Run(runId, file, startedAt, "failed", 0, size, message), observer);
            return new TableSyncResult(source.Name, file.Table, "csv", SyncStatus.Failed, 0, 0, 0, 0, null, null, clock.Elapsed, message, SyncFailures.IsUserFault(e));
        }
    }

    private async Task<bool> IsLoadedAsync(IWarehouseSession session, CsvFile file, long size, string sha256, CancellationToken cancellationToken)
    {
        await using var reader = await session.QueryAsync(
            $"select size_bytes, sha256 from {warehouse.Dialect.Quote(FilesTable)} where source = $1 and table_name = $2 and file_name = $3",
            [source.Name, file.Table, file.Name],
            cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            && Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) == size
            && reader.GetString(1) == sha256;
    }

    private SyncRunRecord Run(string runId, CsvFile file, DateTime startedAt, string status, long rows, long bytes, string? error) => new(
        runId, source.Name, file.Table, "csv", status, startedAt, DateTime.UtcNow, rows, rows, 0, bytes, null, file.Name, error);
}
