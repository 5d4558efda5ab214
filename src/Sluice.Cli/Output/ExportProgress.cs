using System.Globalization;
using Sluice.Core.Project;
using Sluice.Operate.Export;
using Spectre.Console;

namespace Sluice.Cli.Output;

/// <summary>
/// Shows an export as it runs: on a terminal, a live line per model with the rows written so
/// far; redirected, a line as each model starts. Either way a line per finished model: status,
/// relation, rows, file and seconds, and the error of one that failed.
/// </summary>
internal sealed class ExportProgress(TextWriter output, ProgressContext? live) : IExportProgress
{
    private ProgressTask? _task;

    public void Started(ExportTarget target, int index, int total)
    {
        if (target.Note is { } note)
        {
            Write($"note: {note}.");
        }

        if (live is null)
        {
            Write($"{index,4}/{total,-4} exporting {target.Relation} to {target.FileName}{(target.Range is { } range ? $" ({target.PartitionColumn} from {range})" : string.Empty)}");
            return;
        }

        _task = live.AddTask(Markup.Escape(target.Name), maxValue: 1);
        _task.IsIndeterminate = true;
    }

    public void Rows(ExportTarget target, long rows)
    {
        if (_task is not null)
        {
            _task.Description = Markup.Escape($"{target.Name}: {Count(rows)} rows");
        }
    }

    public void Finished(ModelExport result, int index, int total)
    {
        if (_task is not null)
        {
            _task.IsIndeterminate = false;
            _task.Value = _task.MaxValue;
            _task.Description = Markup.Escape(result.Target.Name);
            _task.StopTask();
            _task = null;
        }

        var target = result.Target;
        var status = result.Status == ExportStatus.Exported ? "OK" : "FAILED";
        var rows = result.Rows is { } count ? $"{Count(count)} rows" : string.Empty;
        var file = result.Status == ExportStatus.Exported ? target.FileName : string.Empty;
        Write($"{index,4}/{total,-4} {status,-8} {target.Relation,-40} {rows,-16} {file,-32} {RunProgress.Seconds(result.Duration),7}".TrimEnd());
        if (result.Error is { } error)
        {
            Write($"           {error}");
        }
    }

    /// <summary>A count as people read it: 1,234,567.</summary>
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private void Write(string line)
    {
        var masked = SecretMasker.Mask(line);
        if (live is not null)
        {
            AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }).MarkupLine(Markup.Escape(masked));
        }
        else
        {
            output.WriteLine(masked);
        }
    }
}
