using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sluice.Cli.Output;
using Sluice.Core.Project;
using Sluice.Operate.Retention;
using Sluice.Warehouses;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice prune</c>: deletes the history in <c>_sluice</c> older than the project's
/// <c>retention:</c> (default 90 days), keeping the rows the pipeline reads as state, and prints
/// per table the rows deleted and the cutoff. <c>--dry-run</c> counts without deleting.
/// </summary>
internal sealed class PruneTask(CliContext context, ParseResult parseResult)
{
    private static readonly Option<bool> DryRun = new("--dry-run")
    {
        Description = "Count the rows that would be deleted, and delete nothing.",
    };

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("prune", "Delete Sluice's own history in _sluice (job runs, check results, sync runs, notifications …) older than retention: in sluice.yml (default 90 days); state the pipeline depends on is kept.")
        {
            DryRun,
            ModelOptions.Format,
        };
        VerbRunner.SetAction(command, globals, "pruning the history failed", (parseResult, context, cancellationToken) =>
            new PruneTask(context, parseResult).RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(context.ProjectDirectory);
        var policy = RetentionReader.Read(project);
        var dryRun = parseResult.GetValue(DryRun);
        var now = TimeProvider.System.GetUtcNow();

        IReadOnlyList<PrunedTable> pruned;
        await using (var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory))
        await using (var session = await warehouse.OpenSessionAsync(cancellationToken))
        {
            pruned = dryRun
                ? await Pruner.PreviewAsync(session, policy, now, cancellationToken)
                : await Pruner.PruneAsync(session, policy, now, cancellationToken);
        }

        if (parseResult.GetRequiredValue(ModelOptions.Format) == "json")
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["dry_run"] = dryRun,
                ["at"] = now,
                ["tables"] = pruned.Select(p => new Dictionary<string, object?>
                {
                    ["table"] = p.Table,
                    ["retention"] = RetentionPolicy.Describe(p.Limit),
                    ["cutoff"] = p.Cutoff,
                    ["rows"] = p.Rows,
                }).ToList(),
            }));
            return ExitCodes.Success;
        }

        var console = Consoles.For(context.Out, !Console.IsOutputRedirected && context.Out == Console.Out);
        var table = Tables.Create(("table", false), ("retention", false), ("cutoff (UTC)", false), (dryRun ? "would delete" : "deleted", true));
        foreach (var p in pruned)
        {
            table.AddRow(
                new Text($"_sluice.{p.Table}"),
                new Text(RetentionPolicy.Describe(p.Limit)),
                new Text(p.Cutoff is { } cutoff ? cutoff.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-"),
                new Text(Tables.Count(p.Rows)));
        }

        console.Write(table);
        var total = Tables.Count(pruned.Sum(p => p.Rows));
        await context.Error.WriteLineAsync(dryRun
            ? $"Dry run: {total} row(s) of history would be deleted; nothing was. Run `sluice prune` to delete them."
            : $"Deleted {total} row(s) of history; the state the pipeline depends on is kept whatever its age.");
        return ExitCodes.Success;
    }
}
