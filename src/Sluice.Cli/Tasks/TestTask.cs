using System.CommandLine;
using System.Diagnostics;
using Sluice.Checks;
using Sluice.Cli.Output;
using Sluice.Core.Models;
using Sluice.Warehouses;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice test</c>: runs the selected checks against what the warehouse holds now. Every
/// check is compiled against the warehouse first, so that a missing column stops the command
/// before any check runs. With --date or --from/--to, checks of partitioned models look at
/// those partitions only. Exit code 1 when an error-severity check fails or cannot run.
/// </summary>
internal sealed class TestTask(CliContext context, ParseResult parseResult)
{
    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("test", "Run the data-quality checks of schema.yml files and test-paths; exit code 1 when an error-severity check fails.")
        {
            ModelOptions.Select, ModelOptions.Exclude, ModelOptions.Vars, ModelOptions.Date, ModelOptions.From, ModelOptions.To, ModelOptions.Format,
        };
        VerbRunner.SetAction(command, globals, "the checks failed to run", (parseResult, context, cancellationToken) =>
            new TestTask(context, parseResult).RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var project = ModelOptions.Parse(context, parseResult);
        var checks = CheckSelection.Select(project, parseResult.GetValue(ModelOptions.Select) ?? [], parseResult.GetValue(ModelOptions.Exclude) ?? []);
        var options = Options(project);
        await using var warehouse = WarehouseFactory.Create(project.Project.Warehouse, project.Project.Directory);
        var runner = new CheckRunner(project, warehouse);
        await context.Error.WriteLineAsync($"Running {checks.Count} check(s) on {warehouse.Engine} ({Core.Project.SecretMasker.Mask(warehouse.DisplayLocation)}).");
        var prepared = await runner.PrepareAsync(checks, options, cancellationToken);
        var problems = prepared.Problems;
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                ErrorReporter.WriteError(context, problem);
            }

            await context.Error.WriteLineAsync($"{problems.Count} check(s) cannot run as declared; nothing was run.");
            return ExitCodes.Failure;
        }

        var results = await runner.RunAsync(prepared, new CheckProgress(context.Error), cancellationToken);
        return await ReportAsync(context, parseResult, options.InvocationId, null, results, clock.Elapsed);
    }

    /// <summary>The table or JSON at the end of test and build, and the exit code the checks call for.</summary>
    public static async Task<int> ReportAsync(CliContext context, ParseResult parseResult, string invocationId, IReadOnlyList<Models.Run.NodeResult>? models, IReadOnlyList<CheckResult> results, TimeSpan elapsed)
    {
        if (parseResult.GetValue(ModelOptions.Format) == "json")
        {
            await context.Out.WriteLineAsync(CheckReport.Json(invocationId, models, results));
        }
        else
        {
            CheckReport.WriteTable(context.Out, !Console.IsOutputRedirected && context.Out == Console.Out, results);
        }

        await context.Error.WriteLineAsync($"Checks done in {RunProgress.Seconds(elapsed)}: {CheckReport.Counts(results)}.");
        return results.Any(r => r.IsBlocking) ? ExitCodes.Failure : ExitCodes.Success;
    }

    private CheckRunOptions Options(ParsedProject project)
    {
        var ranged = parseResult.GetValue(ModelOptions.Date) is not null || parseResult.GetValue(ModelOptions.From) is not null || parseResult.GetValue(ModelOptions.To) is not null;
        if (!ranged)
        {
            return new CheckRunOptions();
        }

        var (from, to) = ModelOptions.Days(parseResult);
        return new CheckRunOptions
        {
            From = from,
            To = to,
            Partitions = project.Nodes.Values
                .Where(n => n.Config.PartitionBy is not null)
                .ToDictionary(n => n.Name, n => Partitions.Covering(from, to, n.Config.Grain), StringComparer.Ordinal),
        };
    }
}
