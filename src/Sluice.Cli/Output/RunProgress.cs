using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Sluice.Core.Models;
using Sluice.Models.Run;
using Sluice.Models.State;
using Spectre.Console;

namespace Sluice.Cli.Output;

/// <summary>
/// Shows a model run: one line per finished resource (status, materialization, relation, rows,
/// seconds). Partitioned models also get a bar with an ETA on a terminal, or a line per
/// partition with the ETA when stderr is redirected.
/// </summary>
internal sealed class RunProgress(TextWriter output, ProgressContext? live) : IRunObserver
{
    private readonly ConcurrentDictionary<string, ProgressTask> _bars = new();
    private readonly ConcurrentDictionary<string, Stopwatch> _clocks = new();
    private readonly Lock _lock = new();

    public void Started(ModelDefinition model, int index, int total)
    {
        _clocks[model.Name] = Stopwatch.StartNew();
    }

    public void PartitionFinished(ModelDefinition model, DatePartition partition, JobStatus status, int done, int total)
    {
        if (live is not null)
        {
            var bar = _bars.GetOrAdd(model.Name, _ => live.AddTask(Markup.Escape(model.Name), maxValue: Math.Max(total, 1)));
            bar.Value = done;
            return;
        }

        var elapsed = _clocks.TryGetValue(model.Name, out var clock) ? clock.Elapsed : TimeSpan.Zero;
        var eta = done > 0 && done < total ? $", about {Seconds(elapsed / done * (total - done))} left" : string.Empty;
        Write($"  {model.Name} {partition.Start:yyyy-MM-dd}: {Status(status)} ({done}/{total} partitions{eta})");
    }

    public void Finished(NodeResult result, int index, int total)
    {
        var model = result.Model;
        var rows = result.Status == JobStatus.Success && model.Config.Materialized != Materialization.View
            ? $"{result.Rows.Processed.ToString("N0", CultureInfo.InvariantCulture)} rows"
            : string.Empty;
        if (result.PartitionsBuilt + result.PartitionsSkipped > 0 || model.Config.PartitionBy is not null)
        {
            rows = $"{rows} in {result.PartitionsBuilt} partition(s){(result.PartitionsSkipped > 0 ? $", {result.PartitionsSkipped} already done" : string.Empty)}".Trim();
        }

        var kind = model.Kind == Core.Graph.NodeKind.Model ? ModelConfig.Name(model.Config.Materialized) : model.Kind.ToString().ToLowerInvariant();
        var line = $"{index,4}/{total,-4} {Status(result.Status),-8} {kind,-12} {model.Table,-40} {rows,-28} {Seconds(result.Duration),7}";
        Write(line.TrimEnd());
        if (result.Error is { } error)
        {
            Write($"           {error}");
        }
    }

    private static string Status(JobStatus status) => status switch
    {
        JobStatus.Success => "OK",
        JobStatus.Failed => "FAILED",
        JobStatus.Skipped => "SKIPPED",
        _ => "RUNNING",
    };

    /// <summary>Seconds as people read them: 0.42s, 12.3s, 4m05s.</summary>
    public static string Seconds(TimeSpan time) => time.TotalSeconds switch
    {
        < 10 => time.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s",
        < 60 => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s",
        _ => $"{(int)time.TotalMinutes}m{time.Seconds:00}s",
    };

    private void Write(string line)
    {
        lock (_lock)
        {
            if (live is not null)
            {
                AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }).MarkupLine(Markup.Escape(Core.Project.SecretMasker.Mask(line)));
            }
            else
            {
                output.WriteLine(Core.Project.SecretMasker.Mask(line));
            }
        }
    }
}
