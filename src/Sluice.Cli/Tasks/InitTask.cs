using System.CommandLine;
using Sluice.Core.Project;
using Sluice.Warehouses;
using Sluice.Warehouses.Metadata;

namespace Sluice.Cli.Tasks;

/// <summary><c>sluice init DIR</c>: scaffolds a project and creates its warehouse.</summary>
internal sealed class InitTask(CliContext context, string directory)
{
    private static readonly Argument<string?> DirectoryArgument = new("dir")
    {
        Description = "The folder for the new project; created when missing. Default: --project-dir.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("init", "Create a project: sluice.yml, model folders and a DuckDB warehouse.") { DirectoryArgument };
        VerbRunner.SetAction(command, globals, "creating the warehouse failed", (parseResult, context, cancellationToken) =>
            new InitTask(context, parseResult.GetValue(DirectoryArgument) ?? context.ProjectDirectory).RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(directory);
        var configPath = Path.Combine(target, SluiceProject.FileName);
        if (File.Exists(configPath))
        {
            throw new ConfigurationException(
                $"{target} is a Sluice project already (it has {SluiceProject.FileName}); run `sluice debug --project-dir {target}` to check it, or pick a new folder.");
        }

        var created = ProjectScaffold.Write(target, ProjectNames.FromFolderName(Path.GetFileName(target.TrimEnd(Path.DirectorySeparatorChar))));

        // Reading the scaffold back through the loader proves it is a valid project, and the
        // warehouse is then made exactly as every later command will open it.
        var project = ProjectLoader.Load(target);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        int version;
        await using (var session = await warehouse.OpenSessionAsync(cancellationToken))
        {
            await MetadataSchema.MigrateAsync(session, null, cancellationToken);
            version = await MetadataSchema.GetVersionAsync(session, cancellationToken);
        }

        var output = context.Out;
        await output.WriteLineAsync($"Created project '{project.Name}' in {target}:");
        foreach (var path in created)
        {
            await output.WriteLineAsync($"  {path}");
        }

        await output.WriteLineAsync($"  warehouse: {warehouse.Engine} at {SecretMasker.Mask(warehouse.DisplayLocation)}, {MetadataSchema.Name} schema version {version}");
        await output.WriteLineAsync();
        await output.WriteLineAsync("Next, try:");
        if (!string.Equals(target, Path.GetFullPath(Environment.CurrentDirectory), StringComparison.Ordinal))
        {
            await output.WriteLineAsync($"  cd {ShellQuote.Path(target)}");
        }

        // Typed from inside the project: the checkout's launcher by its path from there, the
        // installed tool by the name it answers to.
        await output.WriteLineAsync($"  {SluiceInvocation.Command(target)} query \"select 42 as answer\"");
        return ExitCodes.Success;
    }
}
