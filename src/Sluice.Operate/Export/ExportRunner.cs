using System.Data.Common;
using Sluice.Core.Graph;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;

namespace Sluice.Operate.Export;

/// <summary>
/// Runs an <see cref="ExportPlan"/>: each model's rows go to a temp file in the export folder,
/// which replaces the model's file only once complete; a model that fails leaves its previous
/// file as it was and does not stop the others. The summary is written last.
/// </summary>
/// <param name="warehouse">The warehouse holding the models.</param>
/// <param name="clock">The clock for the summary's times and the durations.</param>
public sealed class ExportRunner(IWarehouse warehouse, TimeProvider clock)
{
    /// <summary>How many rows pass between two <see cref="IExportProgress.Rows"/> calls.</summary>
    public const int ProgressInterval = 10_000;

    /// <summary>Exports the plan's models to <see cref="ExportRequest.Directory"/> and writes the summary there.</summary>
    public async Task<ExportSummary> RunAsync(ExportPlan plan, ExportRequest request, IExportProgress progress, CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        using var directory = ExportDirectory.Open(request.Directory);
        var results = new List<ModelExport>(plan.Targets.Count);
        for (var i = 0; i < plan.Targets.Count; i++)
        {
            var target = plan.Targets[i];
            progress.Started(target, i + 1, plan.Targets.Count);
            var result = await ExportAsync(directory, target, request.Format, progress, cancellationToken);
            results.Add(result);
            progress.Finished(result, i + 1, plan.Targets.Count);
        }

        var summary = new ExportSummary(request, warehouse.Engine, startedAt, clock.GetUtcNow(), results, plan.Skipped);
        var temp = directory.NewTempPath(ExportSummary.FileName);
        try
        {
            await File.WriteAllBytesAsync(temp, summary.ToJson(), cancellationToken);
            directory.Commit(temp, ExportSummary.FileName);
        }
        catch
        {
            ExportDirectory.Discard(temp);
            throw;
        }

        return summary;
    }

    private async Task<ModelExport> ExportAsync(ExportDirectory directory, ExportTarget target, ExportFormat format, IExportProgress progress, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        if (target.Refusal is { } refusal)
        {
            return new ModelExport(target, ExportStatus.Failed, null, null, TimeSpan.Zero, refusal) { IsConfigurationFault = true };
        }

        string? temp = null;
        try
        {
            await using var session = await warehouse.OpenSessionAsync(cancellationToken);
            var columns = await ColumnsAsync(session, target, cancellationToken);
            var keys = KeyColumns(target, columns);
            var sql = ExportQuery.Build(warehouse.Dialect, target, columns, keys);
            temp = directory.NewTempPath(target.FileName);
            var rows = format == ExportFormat.Parquet && warehouse.Capabilities.WritesLocalParquet
                ? await CopyToParquetAsync(session, sql, temp, target, keys, cancellationToken)
                : await StreamAsync(session, sql, temp, format, target, keys, progress, cancellationToken);
            var bytes = new FileInfo(temp).Length;
            directory.Commit(temp, target.FileName);
            temp = null;
            return new ModelExport(target, ExportStatus.Exported, rows, bytes, clock.GetElapsedTime(started), null);
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            return new ModelExport(target, ExportStatus.Failed, null, null, clock.GetElapsedTime(started), Describe(target, directory, e))
            {
                IsConfigurationFault = e is ExportException { IsConfiguration: true },
            };
        }
        finally
        {
            if (temp is not null)
            {
                ExportDirectory.Discard(temp);
            }
        }
    }

    // The relation's columns as the warehouse names them; the query itself tells, so views
    // and tables of any engine answer alike.
    private static async Task<IReadOnlyList<string>> ColumnsAsync(IWarehouseSession session, ExportTarget target, CancellationToken cancellationToken)
    {
        var exists = await session.ScalarAsync(
            $"select count(*) from ({session.Warehouse.Dialect.RelationsQuery}) as relations where name = $2",
            [target.Relation.Schema, target.Relation.Name],
            cancellationToken);
        if (Convert.ToInt64(exists, System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            var verb = target.Kind switch
            {
                NodeKind.Seed => "seed",
                NodeKind.Snapshot => "snapshot",
                _ => "run",
            };
            throw new ExportException($"{target.KindName} '{target.Name}' has not been built: {target.Relation} does not exist in the warehouse; build it with `sluice {verb} --select {target.Name}`, then export again.");
        }

        var columns = new List<string>();
        await using (var reader = await session.QueryAsync($"select * from {session.Warehouse.Dialect.Quote(target.Relation)} limit 0", null, cancellationToken))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                columns.Add(reader.GetName(i));
            }
        }

        if (columns.FirstOrDefault(c => c.Equals(DocumentId.Column, StringComparison.OrdinalIgnoreCase)) is { } clash)
        {
            throw new ExportException(
                $"{target.KindName} '{target.Name}' ({target.File}) has a column named {clash}, which export adds to every row as its id; rename the column in the model (select … as source_id), then export again.",
                isConfiguration: true);
        }

        return columns;
    }

    private static IReadOnlyList<string> KeyColumns(ExportTarget target, IReadOnlyList<string> columns) =>
        [.. target.KeyColumns.Select(key =>
            columns.FirstOrDefault(c => c == key)
            ?? columns.FirstOrDefault(c => c.Equals(key, StringComparison.OrdinalIgnoreCase))
            ?? throw new ExportException(
                $"{target.KindName} '{target.Name}' ({target.File}): its key names the column '{key}', which {target.Relation} does not have (its columns are {string.Join(", ", columns.Take(20))}{(columns.Count > 20 ? ", …" : string.Empty)}); fix {(key == target.PartitionColumn ? "partition_by" : "unique_key")} in its config.",
                isConfiguration: true))];

    private static async Task<long> StreamAsync(
        IWarehouseSession session, string sql, string temp, ExportFormat format, ExportTarget target, IReadOnlyList<string> keys, IExportProgress progress, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(temp, FileMode.Truncate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 64 * 1024);
        await using var reader = await session.QueryAsync(sql, null, cancellationToken);
        await using var writer = RowFileWriter.Create(format, file, reader);
        await writer.BeginAsync(cancellationToken);
        var values = new object?[reader.FieldCount];
        string? previous = null;
        var rows = 0L;
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            // Rows come in key order, so rows with the same id are neighbours.
            var id = (string)values[0]!;
            if (id == previous)
            {
                ThrowDuplicate(target, keys, id);
            }

            previous = id;
            await writer.WriteAsync(values, cancellationToken);
            if (++rows % ProgressInterval == 0)
            {
                progress.Rows(target, rows);
            }
        }

        await writer.CompleteAsync(cancellationToken);
        return rows;
    }

    // The engine writes the file itself; reading it back counts the rows and finds any id that
    // is there twice, which the streamed formats find as they go.
    private async Task<long> CopyToParquetAsync(IWarehouseSession session, string sql, string temp, ExportTarget target, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var dialect = warehouse.Dialect;
        var file = dialect.Literal(temp);
        await session.ExecuteAsync($"copy (\n{sql}\n) to {file} (format parquet, row_group_size {ParquetFileWriter.RowGroupRows})", null, cancellationToken);
        var id = dialect.Quote(DocumentId.Column);
        long rows, distinct;
        await using (var reader = await session.QueryAsync($"select count(*), count(distinct {id}) from read_parquet({file})", null, cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            rows = reader.GetInt64(0);
            distinct = reader.GetInt64(1);
        }

        if (rows != distinct)
        {
            var duplicate = await session.ScalarAsync($"select {id} from read_parquet({file}) group by {id} having count(*) > 1 order by {id} limit 1", null, cancellationToken);
            ThrowDuplicate(target, keys, (string)duplicate!);
        }

        return rows;
    }

    private static void ThrowDuplicate(ExportTarget target, IReadOnlyList<string> keys, string id)
    {
        var add = target.Kind == NodeKind.Snapshot
            ? "the snapshot's version ids should be unique; rebuild it"
            : "add the columns that tell such rows apart to unique_key in its config, or make the model return one row per key";
        throw new ExportException(
            $"{target.KindName} '{target.Name}' ({target.File}): more than one row has the _id '{id}' (key: {string.Join(", ", keys)}), so the key does not identify a row; {add}, then export again.",
            isConfiguration: true);
    }

    private static string Describe(ExportTarget target, ExportDirectory directory, Exception error) => error switch
    {
        ExportException => error.Message,
        WarehouseException or DbException =>
            $"{target.KindName} '{target.Name}' ({target.Relation}): reading its rows failed: {FirstLine(error.Message)}; run `sluice debug` to check the warehouse, then export again.",
        IOException or UnauthorizedAccessException =>
            $"{target.KindName} '{target.Name}': writing {target.FileName} in {directory.Path} failed: {FirstLine(error.Message)}; check the folder's free space and permissions, then export again.",
        SluiceException => $"{target.KindName} '{target.Name}': {error.Message}",
        _ => $"{target.KindName} '{target.Name}': unexpected {error.GetType().Name}: {FirstLine(error.Message)}; run again with --verbose and report the output.",
    };

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).TrimEnd().TrimEnd('.', '!');
    }
}
