using System.CommandLine;
using System.Diagnostics;
using Sluice.Checks;
using Sluice.Cli.Output;
using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Models.Run;
using Sluice.Models.State;
using Sluice.Warehouses;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>
/// The verbs that build resources: <c>run</c> (models), <c>seed</c>, <c>snapshot</c>,
/// <c>build</c> (all three in DAG order) and <c>backfill</c> (the partitions of partitioned
/// models over a range, resumable). Exit code 1 when anything failed.
/// </summary>
internal sealed class RunTask(CliContext context, ParseResult parseResult, string verb, IReadOnlySet<NodeKind> kinds)
{
    private static readonly Option<int> ConcurrencyOption = CreateConcurrencyOption();

    public static Command CreateRun(GlobalOptions globals) => Create(globals, "run", "Build the selected models (views, tables, incremental and partitioned tables) in DAG order.", [NodeKind.Model], partitions: true);

    public static Command CreateSeed(GlobalOptions globals) => Create(globals, "seed", "Load the CSV files of seed-paths into tables.", [NodeKind.Seed], partitions: false);

    public static Command CreateSnapshot(GlobalOptions globals) => Create(globals, "snapshot", "Record changes of the snapshot queries as SCD Type 2 history.", [NodeKind.Snapshot], partitions: false);

    public static Command CreateBuild(GlobalOptions globals) => Create(globals, "build", "Load seeds, build models and snapshots, all in DAG order, and run each model's checks right after it; an error-severity check that fails skips what depends on the model.", [NodeKind.Seed, NodeKind.Model, NodeKind.Snapshot], partitions: true);

    public static Command CreateBackfill(GlobalOptions globals)
    {
        var command = new Command("backfill", "Build the partitions of partitioned models from --from to --to; re-running it builds only what has not succeeded.")
        {
            ModelOptions.Select, ModelOptions.Exclude, ModelOptions.Vars, ModelOptions.Threads, ModelOptions.From, ModelOptions.To,
            ModelOptions.Force, ConcurrencyOption,
        };
        VerbRunner.SetAction(command, globals, "the backfill failed", (parseResult, context, cancellationToken) =>
            new RunTask(context, parseResult, "backfill", new HashSet<NodeKind> { NodeKind.Model }).RunAsync(cancellationToken));
        return command;
    }

    private static Command Create(GlobalOptions globals, string verb, string description, HashSet<NodeKind> kinds, bool partitions)
    {
        var command = new Command(verb, description)
        {
            ModelOptions.Select, ModelOptions.Exclude, ModelOptions.Vars, ModelOptions.Threads, ModelOptions.FullRefresh,
        };
        if (verb == "build")
        {
            command.Options.Add(ModelOptions.Format);
        }

        if (partitions)
        {
            command.Options.Add(ModelOptions.Date);
            command.Options.Add(ModelOptions.From);
            command.Options.Add(ModelOptions.To);
            command.Options.Add(ModelOptions.Force);
        }

        VerbRunner.SetAction(command, globals, $"the {verb} failed", (parseResult, context, cancellationToken) =>
            new RunTask(context, parseResult, verb, kinds).RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var project = ModelOptions.Parse(context, parseResult);
        var selected = ModelOptions.Selected(project, parseResult)
            .Where(n => kinds.Contains(project.Nodes[n].Kind))
            .ToHashSet(StringComparer.Ordinal);
        if (verb == "backfill")
        {
            if (parseResult.GetValue(ModelOptions.From) is null || parseResult.GetValue(ModelOptions.To) is null)
            {
                throw new Core.Project.ConfigurationException("backfill needs a range: --from YYYY-MM-DD --to YYYY-MM-DD.");
            }

            selected = selected.Where(n => project.Nodes[n].Config.PartitionBy is not null).ToHashSet(StringComparer.Ordinal);
            if (selected.Count == 0)
            {
                throw new Core.Project.ConfigurationException("backfill found no partitioned model in the selection; partitioned models declare partition_by and materialized='incremental'.");
            }
        }

        var (from, to) = ModelOptions.Days(parseResult);
        var options = new RunOptions
        {
            From = from,
            To = to,
            Threads = project.Target.Threads,
            PartitionConcurrency = verb == "backfill" ? parseResult.GetValue(ConcurrencyOption) : 1,
            FullRefresh = verb != "backfill" && parseResult.GetValue(ModelOptions.FullRefresh),
            Force = parseResult.GetValue(ModelOptions.Force),
        };

        await using var warehouse = WarehouseFactory.Create(project.Project.Warehouse, project.Project.Directory);
        var checks = verb == "build" ? BuildChecksFor(project, selected, warehouse, options) : null;
        var runner = new ModelRunner(project, warehouse, checks);
        if (verb != "backfill" && selected.Count == 0)
        {
            await context.Error.WriteLineAsync(NothingToBuild(project));
        }

        await context.Error.WriteLineAsync($"Building {selected.Count(n => project.Nodes[n].Config.Materialized != Materialization.Ephemeral)} resource(s) on {warehouse.Engine} ({Core.Project.SecretMasker.Mask(warehouse.DisplayLocation)}) with {options.Threads} thread(s).");
        IReadOnlyList<NodeResult> results;
        if (verb == "backfill" && !Console.IsErrorRedirected && context.Error == Console.Error)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            results = await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(live => runner.RunAsync(selected, options, new RunProgress(context.Error, live), cancellationToken));
        }
        else
        {
            results = await runner.RunAsync(selected, options, new RunProgress(context.Error, null), cancellationToken);
        }

        var failed = results.Count(r => r.Status == JobStatus.Failed);
        var skipped = results.Count(r => r.Status == JobStatus.Skipped);
        var alreadyBuilt = results.Sum(r => r.PartitionsSkipped);
        await context.Error.WriteLineAsync(
            $"Done in {RunProgress.Seconds(clock.Elapsed)}: {results.Count - failed - skipped} succeeded, {failed} failed, {skipped} skipped"
            + (alreadyBuilt > 0 ? $"; {alreadyBuilt} partition(s) already done (--force builds them again)." : "."));
        foreach (var failure in results.Where(r => r.Status == JobStatus.Failed))
        {
            ErrorReporter.WriteError(context, failure.Error ?? $"{failure.Name} failed.");
            if (context.Verbose && failure.Exception is not null)
            {
                await context.Error.WriteLineAsync(Core.Project.SecretMasker.Mask(failure.Exception.ToString()));
            }
        }

        if (checks is not null)
        {
            var checked_ = await TestTask.ReportAsync(context, parseResult, options.InvocationId, results, checks.Results, clock.Elapsed);
            return failed + skipped == 0 ? checked_ : ExitCodes.Failure;
        }

        return failed + skipped == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static Option<int> CreateConcurrencyOption()
    {
        var option = WholeNumberOption.Create("--concurrency", 1, 1024, defaultValue: 1);
        option.Description = "How many partitions of one model to build at once. Default: 1.";
        option.HelpName = "N";
        return option;
    }

    // Why a run has nothing to do, and what to add: a newcomer's first build of an empty project
    // would otherwise end in "0 succeeded" and no clue.
    private string NothingToBuild(ParsedProject project)
    {
        var names = kinds.Count > 1 ? "models, seeds or snapshots" : kinds.Single() switch
        {
            NodeKind.Seed => "seeds",
            NodeKind.Snapshot => "snapshots",
            _ => "models",
        };
        var declared = project.Nodes.Values.Count(n => kinds.Contains(n.Kind));
        if (declared > 0)
        {
            return $"Nothing to {verb}: --select and --exclude leave none of the project's {declared} {names}; `sluice ls` lists them.";
        }

        var add = kinds.Count > 1 || kinds.Contains(NodeKind.Model)
            ? "Add a SQL file under models/, one select each: `{{ source('app', 'users') }}` reads a synced table, `{{ ref('stg_users') }}` another model"
                + (kinds.Count > 1 ? "; CSV files under seeds/ load as tables" : string.Empty)
            : kinds.Contains(NodeKind.Seed) ? "Put CSV files under seeds/; each loads as a table" : "Add a snapshot under snapshots/";
        return $"Nothing to {verb}: the project has no {names} yet. {add} (see docs/models.md).";
    }

    // The checks of what the build selected: on its models, on the sources they read, and the
    // singular checks that read them.
    private BuildChecks BuildChecksFor(ParsedProject project, IReadOnlySet<string> selected, Core.Warehouse.IWarehouse warehouse, RunOptions options)
    {
        var built = selected.Where(n => project.Nodes[n].Config.Materialized != Materialization.Ephemeral).ToHashSet(StringComparer.Ordinal);
        var sources = built.SelectMany(n => project.Nodes[n].SourceRefs).Select(s => (s.Source, s.Table)).ToHashSet();
        var checks = project.Checks
            .Where(c => c.Target is { IsSource: true } target ? sources.Contains((target.Source!, target.Table!)) : c.Models.Any(built.Contains))
            .ToList();
        var checkOptions = new CheckRunOptions { InvocationId = options.InvocationId, StartedAt = options.StartedAt, From = options.From, To = options.To };
        return new BuildChecks(project, new CheckRunner(project, warehouse), checks, built, checkOptions, new CheckProgress(context.Error));
    }
}
