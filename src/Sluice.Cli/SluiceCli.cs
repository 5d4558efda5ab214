using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Sluice.Cli.Tasks;

namespace Sluice.Cli;

/// <summary>The <c>sluice</c> command line: its verbs, global options and exit codes.</summary>
internal static class SluiceCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var globals = new GlobalOptions();
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
        };

        // --version and --help work after any verb, as they do after the bare command.
        foreach (var option in root.Options.Where(o => o is VersionOption or HelpOption))
        {
            option.Recursive = true;
        }

        root.SetAction(async parseResult =>
        {
            await Console.Error.WriteLineAsync($"error: no command given; run `sluice --help` to see them ({string.Join(", ", root.Subcommands.Select(c => c.Name))}).");
            return ExitCodes.Usage;
        });

        var parseResult = root.Parse(args);

        // System.CommandLine reports usage errors with exit code 1, which Sluice keeps for runtime
        // failures; scripts tell "you called it wrong" apart by exit code 2.
        if (parseResult.Action is ParseErrorAction)
        {
            foreach (var error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            var usage = parseResult.CommandResult.Command is RootCommand ? "sluice --help" : $"sluice {parseResult.CommandResult.Command.Name} --help";
            await Console.Error.WriteLineAsync($"Run `{usage}` for usage.");
            return ExitCodes.Usage;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }
}
