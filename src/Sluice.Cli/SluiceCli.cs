using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;
using Sluice.Cli.Tasks;

namespace Sluice.Cli;

/// <summary>The <c>sluice</c> command line: its verbs, global options and exit codes.</summary>
internal static class SluiceCli
{
    /// <summary>Sluice's version as <c>sluice --version</c> prints it (this assembly's), which the server reports too.</summary>
    public static string Version { get; } =
        typeof(SluiceCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    // After Ctrl+C or SIGTERM, how long a command has to stop on its own (a build rolls back, the
    // server drains within its own bound) before System.CommandLine ends it regardless with 130 or
    // 143. Its default, 2 seconds, is shorter than the server's bounded stop and than a rollback on
    // a busy machine: ending the process then would skip the error line and the cleanup.
    private static readonly TimeSpan TerminationGrace = Sluice.Server.SluiceServer.StopTimeout + TimeSpan.FromSeconds(5);

    public static Task<int> RunAsync(string[] args) => RunAsync(args, null, null, CancellationToken.None);

    /// <summary>
    /// Runs a command with its output written to <paramref name="output"/> and
    /// <paramref name="error"/> instead of the console (when given), as a job inside the server
    /// does; Ctrl+C is then not watched, and <paramref name="cancellationToken"/> cancels.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output, TextWriter? error, CancellationToken cancellationToken)
    {
        var globals = new GlobalOptions { Output = output, Errors = error };
        var errors = error ?? Console.Error;
        var root = CreateRoot(globals);
        root.SetAction(async parseResult =>
        {
            await errors.WriteLineAsync($"error: no command given; run `sluice --help` to see them ({string.Join(", ", root.Subcommands.Select(c => c.Name))}).");
            return ExitCodes.Usage;
        });

        var parseResult = root.Parse(args);

        // System.CommandLine reports usage errors with exit code 1, which Sluice keeps for runtime
        // failures; scripts tell "you called it wrong" apart by exit code 2.
        if (parseResult.Action is ParseErrorAction)
        {
            foreach (var problem in parseResult.Errors)
            {
                await errors.WriteLineAsync($"error: {problem.Message}");
            }

            var usage = parseResult.CommandResult.Command is RootCommand ? "sluice --help" : $"sluice {parseResult.CommandResult.Command.Name} --help";
            await errors.WriteLineAsync($"Run `{usage}` for usage.");
            return ExitCodes.Usage;
        }

        // The scheduler's stop waits for a running job as long as its --grace says.
        var termination = parseResult.CommandResult.Command.Name == "schedule" ? ScheduleTask.StopBound(parseResult) : TerminationGrace;
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = termination };
        if (output is not null || error is not null)
        {
            invocation.ProcessTerminationTimeout = null;
            invocation.Output = output ?? TextWriter.Null;
            invocation.Error = errors;
        }

        return await parseResult.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>The command line <paramref name="args"/> parsed (its errors included) without running it.</summary>
    public static ParseResult Parse(IReadOnlyList<string> args) => CreateRoot(new GlobalOptions()).Parse([.. args]);

    private static RootCommand CreateRoot(GlobalOptions globals)
    {
        var root = new RootCommand("Sluice: sync PostgreSQL into an analytics warehouse, transform it with SQL models, check it, and serve metrics.")
        {
            globals.ProjectDirectory,
            globals.Verbose,
            InitTask.CreateCommand(globals),
            QueryTask.CreateCommand(globals),
            SyncTask.CreateCommand(globals),
            ParityTask.CreateCommand(globals),
            RunTask.CreateRun(globals),
            RunTask.CreateBuild(globals),
            RunTask.CreateSeed(globals),
            RunTask.CreateSnapshot(globals),
            RunTask.CreateBackfill(globals),
            TestTask.CreateCommand(globals),
            CompileTask.CreateCommand(globals),
            LsTask.CreateCommand(globals),
            StatusTask.CreateCommand(globals),
            DebugTask.CreateCommand(globals),
            ServeTask.CreateCommand(globals),
            DemoTask.CreateCommand(globals),
            ScheduleTask.CreateCommand(globals),
            SchedulesTask.CreateCommand(globals),
            TriggerTask.CreateCommand(globals),
            ChannelsTask.CreateCommand(globals),
            AlertsTask.CreateCommand(globals),
            DashboardsTask.CreateCommand(globals),
            ExportTask.CreateCommand(globals),
            PruneTask.CreateCommand(globals),
        };

        // --version and --help work after any verb, as they do after the bare command.
        foreach (var option in root.Options.Where(o => o is VersionOption or HelpOption))
        {
            option.Recursive = true;
        }

        return root;
    }
}
