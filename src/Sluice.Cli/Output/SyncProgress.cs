using System.Collections.Concurrent;
using System.Globalization;
using Sluice.Core.Project;
using Sluice.Sync.Engine;
using Spectre.Console;

namespace Sluice.Cli.Output;

/// <summary>
/// Shows a sync as it runs. On a terminal: a live bar per table with rows and rows per second.
/// Redirected: one plain line per event, for logs. Warnings always go out as lines.
/// </summary>
internal sealed class SyncProgress(TextWriter error, ProgressContext? live) : ISyncObserver
{
    private readonly ConcurrentDictionary<string, ProgressTask> _tasks = new();

    public void TableStarted(string source, string table, long? estimatedRows)
    {
        if (live is null)
        {
            Write($"sync {source}.{table}: started");
            return;
        }

        var task = live.AddTask(Markup.Escape($"{source}.{table}"), maxValue: estimatedRows is > 0 ? estimatedRows.Value : 1);
        task.IsIndeterminate = estimatedRows is not > 0;
        _tasks[$"{source}.{table}"] = task;
    }

    public void Progress(string source, string table, long rowsRead)
    {
        if (live is not null && _tasks.TryGetValue($"{source}.{table}", out var task))
        {
            if (task.IsIndeterminate && rowsRead > task.MaxValue)
            {
                task.MaxValue = rowsRead;
            }

            task.Value = Math.Min(rowsRead, task.MaxValue);
        }
    }

    public void BatchCommitted(string source, string table, long rowsWritten, string? watermark)
    {
        if (live is null)
        {
            Write($"sync {source}.{table}: committed {rowsWritten.ToString("N0", CultureInfo.InvariantCulture)} rows, watermark {watermark ?? "-"}");
        }
    }

    public void Reconciled(string source, string table, long rowsDeleted)
    {
        if (live is null)
        {
            Write($"sync {source}.{table}: reconciled deletes, {rowsDeleted.ToString("N0", CultureInfo.InvariantCulture)} rows newly deleted in the source");
        }
    }

    public void ParityChecked(Sluice.Sync.Parity.ParityReport report)
    {
        var rows = $"{report.Total.SourceCount.ToString("N0", CultureInfo.InvariantCulture)} rows in the source, {report.Total.WarehouseCount.ToString("N0", CultureInfo.InvariantCulture)} in the warehouse";
        var days = report.DateColumn is null ? string.Empty : $", {report.MismatchedDays.Count.ToString(CultureInfo.InvariantCulture)} of {report.Days.Count.ToString(CultureInfo.InvariantCulture)} days differ";
        if (report.Matches)
        {
            if (live is null)
            {
                Write($"parity {report.Source}.{report.Table}: ok, {rows}{days}");
            }

            return;
        }

        Warning($"parity {report.Source}.{report.Table}: {rows}{days}; run `sluice parity --table {report.Table}` for the days, `--repair` to re-sync them.");
    }

    public void Warning(string message)
    {
        if (live is null)
        {
            Write($"warning: {SecretMasker.Mask(message)}");
        }
        else
        {
            AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(SecretMasker.Mask(message))}");
        }
    }

    public void TableFinished(TableSyncResult result)
    {
        var line = result.Status == SyncStatus.Success
            ? $"{result.Source}.{result.Table}: {result.Mode}, {result.RowsRead.ToString("N0", CultureInfo.InvariantCulture)} rows read, {result.RowsUpserted.ToString("N0", CultureInfo.InvariantCulture)} written in {result.Elapsed.TotalSeconds:0.0}s"
            : $"{result.Source}.{result.Table}: failed";
        if (live is null)
        {
            Write(line);
            return;
        }

        if (_tasks.TryGetValue($"{result.Source}.{result.Table}", out var task))
        {
            task.IsIndeterminate = false;
            task.MaxValue = Math.Max(1, result.RowsRead);
            task.Value = task.MaxValue;
            task.Description = Markup.Escape(line);
            task.StopTask();
        }
    }

    private void Write(string line)
    {
        // Telemetry never throws: a closed stderr must not fail the sync.
        try
        {
            error.WriteLine(line);
        }
        catch (IOException)
        {
        }
    }
}
