using System.CommandLine;
using System.Globalization;
using Sluice.Cli.Output;
using Sluice.Core.Project;
using Sluice.Operate.Events;
using Sluice.Sync.Engine;
using Sluice.Warehouses;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice sync</c>: copies the project's sources into the warehouse, shows progress, prints a
/// summary table, and exits non-zero when any table failed (the others still complete). When
/// every table synced, it sends <c>analytics.synced</c> to the channels <c>events:</c> names
/// (<see cref="SyncEvents"/>); scheduled syncs and those asked of <c>sluice serve</c> run this
/// verb too, so they send it the same way.
/// </summary>
internal sealed class SyncTask(CliContext context, SyncOptions options)
{
    private static readonly Option<string?> SourceOption = new("--source", "-s") { Description = "Sync only this source.", HelpName = "name" };
    private static readonly Option<string[]> TableOption = new("--table", "-t")
    {
        Description = "Sync only these tables (--table a b, or --table a --table b).",
        HelpName = "name",
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<bool> FullRefreshOption = new("--full-refresh") { Description = "Rebuild each table from the source and swap it in atomically." };
    private static readonly Option<int> RetriesOption = CreateRetriesOption();
    private static readonly Option<bool> ReconcileOption = new("--reconcile") { Description = "Also find rows deleted in the source by comparing primary keys." };

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("sync", "Copy the sources' tables into the warehouse (raw.<source>__<table>), incrementally and exactly once.")
        {
            SourceOption, TableOption, FullRefreshOption, ReconcileOption, RetriesOption,
        };
        VerbRunner.SetAction(command, globals, "the sync failed", (parseResult, context, cancellationToken) =>
            new SyncTask(context, new SyncOptions(
                parseResult.GetValue(SourceOption),
                parseResult.GetValue(TableOption),
                parseResult.GetValue(FullRefreshOption),
                parseResult.GetValue(ReconcileOption)) { MaxRetries = parseResult.GetValue(RetriesOption) }).RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(context.ProjectDirectory);

        // Read before the sync, so that a mistake in events: (or the channels it names) stops it before a row moves.
        var events = EventReader.Read(project);
        var runId = Guid.CreateVersion7().ToString("N");
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        var results = await RunWithProgressAsync(context, project, warehouse, options, cancellationToken);
        WriteSummary(results);
        foreach (var failed in results.Where(r => r.Status == SyncStatus.Failed))
        {
            ErrorReporter.WriteError(context, failed.Error ?? $"{failed.Source}.{failed.Table} failed.");
        }

        if (results.All(r => r.Status == SyncStatus.Success))
        {
            // The data is committed: whatever the channels do, the sync has succeeded.
            await SyncEvents.SendAsync(context, project, warehouse, events, runId, [.. Combined(results)], cancellationToken);
            return ExitCodes.Success;
        }

        return results.Any(r => r.Status == SyncStatus.Failed && !r.IsUserFault) ? ExitCodes.Failure : ExitCodes.Usage;
    }

    /// <summary>Runs the sync runner with live bars on a terminal, or plain lines when stderr is redirected.</summary>
    public static async Task<IReadOnlyList<TableSyncResult>> RunWithProgressAsync(CliContext context, SyncOptions options, CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(context.ProjectDirectory);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        return await RunWithProgressAsync(context, project, warehouse, options, cancellationToken);
    }

    private static async Task<IReadOnlyList<TableSyncResult>> RunWithProgressAsync(
        CliContext context, SluiceProject project, Core.Warehouse.IWarehouse warehouse, SyncOptions options, CancellationToken cancellationToken)
    {
        if (!Console.IsErrorRedirected && context.Error == Console.Error)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            return await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new RowsColumn(), new ElapsedTimeColumn())
                .StartAsync(live => new SyncRunner(project, warehouse, new SyncProgress(context.Error, live)).RunAsync(options, cancellationToken));
        }

        return await new SyncRunner(project, warehouse, new SyncProgress(context.Error, null)).RunAsync(options, cancellationToken);
    }

    private void WriteSummary(IReadOnlyList<TableSyncResult> results)
    {
        var console = Consoles.For(context.Out, !Console.IsOutputRedirected && context.Out == Console.Out);

        var table = Tables.Create(("table", false), ("mode", false), ("status", false), ("rows read", true), ("written", true), ("deleted", true), ("seconds", true), ("rows/s", true), ("watermark", false), ("parity", false));

        foreach (var r in Combined(results))
        {
            var seconds = r.Elapsed.TotalSeconds;
            table.AddRow(
                new Text($"{r.Source}.{r.Table}"),
                new Text(r.Mode),
                new Text(r.Status == SyncStatus.Success ? "ok" : "FAILED"),
                new Text(r.RowsRead.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(r.RowsUpserted.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(r.RowsDeleted.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(seconds.ToString("0.00", CultureInfo.InvariantCulture)),
                new Text(seconds > 0 ? (r.RowsRead / seconds).ToString("N0", CultureInfo.InvariantCulture) : "-"),
                new Text(r.WatermarkAfter ?? "-"),
                new Text(ParityTask.Describe(r.Parity)));
        }

        console.Write(table);
    }

    // A CSV table loads file by file; the summary shows one row per table, saying how many of
    // its files were unchanged (each file's line is on standard error as it loads).
    internal static IEnumerable<TableSyncResult> Combined(IReadOnlyList<TableSyncResult> results)
    {
        var groups = results
            .Select((r, index) => (Result: r, Key: r.Mode.StartsWith("csv", StringComparison.Ordinal) ? $"csv:{r.Source}.{r.Table}" : index.ToString(CultureInfo.InvariantCulture)))
            .GroupBy(r => r.Key, r => r.Result);
        foreach (var group in groups)
        {
            var files = group.ToList();
            if (files.Count == 1)
            {
                yield return files[0];
                continue;
            }

            var unchanged = files.Count(f => f.Mode == "csv (unchanged)");
            yield return files[^1] with
            {
                Mode = $"csv, {files.Count} files{(unchanged > 0 ? $" ({unchanged} unchanged)" : string.Empty)}",
                Status = files.All(f => f.Status == SyncStatus.Success) ? SyncStatus.Success : SyncStatus.Failed,
                RowsRead = files.Sum(f => f.RowsRead),
                RowsUpserted = files.Sum(f => f.RowsUpserted),
                RowsDeleted = files.Sum(f => f.RowsDeleted),
                Bytes = files.Sum(f => f.Bytes),
                Elapsed = TimeSpan.FromTicks(files.Sum(f => f.Elapsed.Ticks)),
                Parity = files.LastOrDefault(f => f.Parity is not null)?.Parity,
            };
        }
    }

    private static Option<int> CreateRetriesOption()
    {
        var option = WholeNumberOption.Create("--retries", 0, 100, defaultValue: 5);
        option.Description = "Retries of a table after a transient source error (lost connection, restarting server), with exponential backoff from 2 s. Default: 5.";
        option.HelpName = "N";
        return option;
    }

    /// <summary>Rows read so far and the rate, for the live bars.</summary>
    private sealed class RowsColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            var rate = task.Speed is { } speed ? $"{speed:N0} rows/s" : string.Empty;
            return new Text($"{task.Value:N0} rows {rate}".TrimEnd());
        }
    }
}
