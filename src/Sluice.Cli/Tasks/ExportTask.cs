using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sluice.Cli.Output;
using Sluice.Core.Project;
using Sluice.Operate.Export;
using Sluice.Warehouses;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice export</c>: writes the selected models' rows to files, one per model, each row with
/// a stable <c>_id</c> built from the model's key, and a summary beside them. Exit code 0 when
/// every model was exported; 2 for a usage mistake, or when the only failures are models whose
/// configuration needs a fix (no unique_key, a key that is not unique); 1 when a model failed
/// for another reason.
/// </summary>
internal sealed class ExportTask(CliContext context, ParseResult parseResult)
{
    private static readonly Option<string> FormatOption = CreateFormatOption();

    private static readonly Option<string> OutOption = new("--out", "-o")
    {
        Description = "The folder to write the files to, created when missing; a relative path is taken from the project folder.",
        HelpName = "dir",
        Required = true,
    };

    private static readonly Option<string?> FromOption = new("--from")
    {
        Description = "With --to: export only these days (YYYY-MM-DD) of partitioned models, by their partition_by column. Other models are exported whole.",
        HelpName = "day",
    };

    private static readonly Option<string?> ToOption = new("--to")
    {
        Description = "The last day of the range, inclusive.",
        HelpName = "day",
    };

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("export", "Write the selected models' rows to files in a folder, one per model (jsonl, csv or parquet), each row with a stable _id from the model's key.")
        {
            ModelOptions.Select, ModelOptions.Exclude, ModelOptions.Vars, FormatOption, OutOption, FromOption, ToOption,
        };
        VerbRunner.SetAction(command, globals, "the export failed", (parseResult, context, cancellationToken) =>
            new ExportTask(context, parseResult).RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var select = parseResult.GetValue(ModelOptions.Select) ?? [];
        if (select.Length == 0)
        {
            throw new ConfigurationException("export needs --select naming the models to export, such as --select path:models/marts or --select mrt_orders; `sluice ls` lists them.");
        }

        var range = Range();
        var project = ModelOptions.Parse(context, parseResult);
        var selected = ModelOptions.Selected(project, parseResult);
        if (selected.Count == 0)
        {
            throw new ConfigurationException("--exclude leaves nothing of what --select picks; `sluice ls --select …` shows what a selector picks.");
        }

        var request = new ExportRequest(
            Path.GetFullPath(Path.Combine(project.Project.Directory, parseResult.GetRequiredValue(OutOption))),
            ExportFormats.Parse(parseResult.GetRequiredValue(FormatOption)))
        {
            Range = range,
            Select = select,
            Exclude = parseResult.GetValue(ModelOptions.Exclude) ?? [],
        };
        var plan = ExportPlanner.Plan(project, selected, request);

        await using var warehouse = WarehouseFactory.Create(project.Project.Warehouse, project.Project.Directory);
        await context.Error.WriteLineAsync(
            $"Exporting {plan.Targets.Count} model(s) from {warehouse.Engine} ({SecretMasker.Mask(warehouse.DisplayLocation)}) to {request.Directory} as {ExportFormats.Name(request.Format)}{(range is null ? string.Empty : $", partitioned models from {range}")}.");
        foreach (var skipped in plan.Skipped)
        {
            await context.Error.WriteLineAsync($"note: {skipped.Name} is not exported: {skipped.Reason}.");
        }

        var runner = new ExportRunner(warehouse, TimeProvider.System);
        ExportSummary summary;
        if (!Console.IsErrorRedirected && context.Error == Console.Error)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            summary = await console.Progress()
                .AutoClear(true)
                .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn())
                .StartAsync(live => runner.RunAsync(plan, request, new ExportProgress(context.Error, live), cancellationToken));
        }
        else
        {
            summary = await runner.RunAsync(plan, request, new ExportProgress(context.Error, null), cancellationToken);
        }

        await context.Error.WriteLineAsync(
            $"Done in {RunProgress.Seconds(clock.Elapsed)}: {summary.Exported} exported ({ExportProgress.Count(summary.TotalRows)} rows), {summary.Failed} failed; summary in {Path.Combine(request.Directory, ExportSummary.FileName)}.");
        var failures = summary.Models.Where(m => m.Status == ExportStatus.Failed).ToList();
        foreach (var failure in failures)
        {
            ErrorReporter.WriteError(context, failure.Error!);
        }

        return failures.Count == 0 ? ExitCodes.Success
            : failures.All(f => f.IsConfigurationFault) ? ExitCodes.Usage
            : ExitCodes.Failure;
    }

    private DayRange? Range()
    {
        var from = parseResult.GetValue(FromOption);
        var to = parseResult.GetValue(ToOption);
        if (from is null && to is null)
        {
            return null;
        }

        if (from is null || to is null)
        {
            throw new ConfigurationException(from is null ? "--to needs --from; give both ends of the range." : "--from needs --to; give both ends of the range.");
        }

        var (first, last) = (Day(from, "--from"), Day(to, "--to"));
        return first <= last ? new DayRange(first, last) : throw new ConfigurationException($"--from {from} is after --to {to}; swap them.");
    }

    private static DateOnly Day(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new ConfigurationException($"{option} '{text}' is not a day; write it as YYYY-MM-DD, such as 2025-01-15.");

    private static Option<string> CreateFormatOption()
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "The files' format: jsonl (JSON Lines, default), csv (RFC 4180) or parquet.",
            HelpName = "format",
            DefaultValueFactory = _ => "jsonl",
        };
        option.AcceptOnlyFromAmong([.. ExportFormats.Names]);
        return option;
    }
}
