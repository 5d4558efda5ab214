using System.CommandLine;
using Sluice.Core.Project;
using Sluice.Operate.Schedules;
using Sluice.Warehouses;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice trigger NAME</c>: runs a schedule's commands now, outside its cron times, with its
/// timeout and retries, recorded as a manual run; the schedule's cron ticks are not affected.
/// </summary>
internal sealed class TriggerTask(CliContext context, ParseResult parseResult)
{
    private static readonly Argument<string> NameArgument = new("name") { Description = "The schedule to run, as named in sluice.yml." };

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("trigger", "Run a schedule's commands now, outside its cron times (with its timeout and retries); recorded as a manual run.")
        {
            NameArgument,
        };
        VerbRunner.SetAction(command, globals, "the triggered run failed", (parseResult, context, cancellationToken) =>
            new TriggerTask(context, parseResult).RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var name = parseResult.GetRequiredValue(NameArgument);
        var project = ProjectLoader.Load(context.ProjectDirectory);
        var schedules = ScheduleReader.Read(project);
        if (schedules.All(s => s.Name != name))
        {
            ErrorReporter.WriteError(context, schedules.Count == 0
                ? $"there is no schedule '{name}': {project.ConfigPath} has none; add them under schedules:."
                : $"there is no schedule '{name}'; the schedules are {string.Join(", ", schedules.Select(s => s.Name))}.");
            return ExitCodes.Usage;
        }

        ScheduleCheck.Check(project, schedules);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        var log = new ScheduleLog(context.Error, TimeProvider.System);
        var scheduler = new Scheduler(schedules, warehouse.OpenSessionAsync, (command, arguments, output, error, token) =>
            SluiceCli.RunAsync([command, .. arguments, "--project-dir", project.Directory], new TeeWriter(output, context.Out), new TeeWriter(error, context.Error), token),
            TimeProvider.System,
            log.Event,
            TimeSpan.Zero);

        var run = await scheduler.RunNowAsync(name, cancellationToken);
        await context.Error.WriteLineAsync(run.Succeeded
            ? $"Schedule {name} ran ({run.Attempts} attempt{(run.Attempts == 1 ? "" : "s")}, {(run.CompletedAt - run.StartedAt).TotalSeconds:0.0} s; run {run.RunId})."
            : $"error: schedule {name} ended {run.Status} after {run.Attempts} attempt{(run.Attempts == 1 ? "" : "s")}: {run.Error}");
        return run.Succeeded ? ExitCodes.Success
            : run.Status == RunStatus.Cancelled ? ExitCodes.Cancelled
            : ExitCodes.Failure;
    }

    // The run keeps what a command writes (to say why it failed) and the user sees it as it comes.
    private sealed class TeeWriter(TextWriter kept, TextWriter shown) : TextWriter
    {
        public override System.Text.Encoding Encoding => shown.Encoding;

        public override void Write(char value)
        {
            kept.Write(value);
            shown.Write(value);
        }

        public override void Write(string? value)
        {
            kept.Write(value);
            shown.Write(value);
        }

        public override void Flush()
        {
            kept.Flush();
            shown.Flush();
        }
    }
}
