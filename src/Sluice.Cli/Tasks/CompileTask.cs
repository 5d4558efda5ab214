using System.CommandLine;
using Sluice.Core.Graph;
using Sluice.Models.Compile;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice compile</c>: renders the selected models and snapshots into
/// <c>target/compiled/&lt;project&gt;/&lt;file&gt;</c>, as a full build would run them, without
/// touching the warehouse. With one model selected, its SQL is also printed.
/// </summary>
internal static class CompileTask
{
    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("compile", "Render the models' SQL into target/compiled/ without running it.")
        {
            ModelOptions.Select, ModelOptions.Exclude, ModelOptions.Vars,
        };
        VerbRunner.SetAction(command, globals, "compiling failed", (parseResult, context, cancellationToken) => RunAsync(context, parseResult, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, ParseResult parseResult, CancellationToken cancellationToken)
    {
        var project = ModelOptions.Parse(context, parseResult);
        var selected = ModelOptions.Selected(project, parseResult);
        var compiler = new ModelCompiler(project);
        var facts = RenderFacts.Default(DateTimeOffset.UtcNow, Guid.CreateVersion7().ToString("N"));
        var root = Path.Combine(project.Project.Directory, "target", "compiled", project.Settings.ProjectName);
        var compiled = new List<CompiledModel>();
        foreach (var name in project.Graph.Order.Where(selected.Contains))
        {
            var model = project.Nodes[name];
            if (model.Kind == NodeKind.Seed)
            {
                continue;
            }

            var result = compiler.Compile(model, facts);
            var path = Path.Combine(root, model.File.Replace('/', Path.DirectorySeparatorChar));
            if (model.Kind == NodeKind.Snapshot)
            {
                path = Path.Combine(Path.GetDirectoryName(path)!, model.Name + ".sql");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, result.Sql.Trim() + "\n", cancellationToken);
            compiled.Add(result);
        }

        if (compiled.Count == 1)
        {
            await context.Out.WriteLineAsync(compiled[0].Sql.Trim());
        }

        await context.Error.WriteLineAsync($"Compiled {compiled.Count} of {project.Nodes.Count} resources into {Path.GetRelativePath(Environment.CurrentDirectory, root)}.");
        return ExitCodes.Success;
    }
}
