using System.CommandLine;
using Sluice.Cli.Output;
using Sluice.Core.Graph;
using Sluice.Core.Models.Compatibility;
using Sluice.Models.Compile;
using Sluice.Warehouses;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice compile</c>: renders the selected models and snapshots into
/// <c>target/compiled/&lt;project&gt;/&lt;file&gt;</c>, as a full build would run them, and has
/// the warehouse's own parser read each one without running it: SQL it cannot parse is an error
/// at the line of the model's file it came from. With one model selected, its SQL is also printed.
/// Before any of it, the project is read for constructs Sluice does not support; when there are
/// any, they are all listed and nothing is rendered.
/// </summary>
internal static class CompileTask
{
    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("compile", "Render the models' SQL into target/compiled/ and check that the warehouse can parse it, without running it.")
        {
            ModelOptions.Select, ModelOptions.Exclude, ModelOptions.Vars,
        };
        VerbRunner.SetAction(command, globals, "compiling failed", (parseResult, context, cancellationToken) => RunAsync(context, parseResult, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, ParseResult parseResult, CancellationToken cancellationToken)
    {
        var loaded = ModelOptions.Load(context);
        var report = CompatibilityAnalysis.Run(loaded);
        if (report.Unsupported.Count > 0)
        {
            CompatibilityOutput.WriteUnsupported(context.Error, report);
            ErrorReporter.WriteError(context, $"{CompatibilityOutput.Count(report.Unsupported)} {(report.Unsupported.Count == 1 ? "is" : "are")} not supported by Sluice, listed above; change them and compile again (`sluice debug --dbt` shows the whole report).");
            return ExitCodes.Usage;
        }

        var project = ModelOptions.Parse(loaded, parseResult);
        var selected = ModelOptions.Selected(project, parseResult);
        var compiler = new ModelCompiler(project);
        var facts = RenderFacts.Default(DateTimeOffset.UtcNow, Guid.CreateVersion7().ToString("N"));
        var root = Path.Combine(project.Project.Directory, "target", "compiled", project.Settings.ProjectName);
        var compiled = new List<CompiledModel>();
        var problems = new List<string>();
        await using var warehouse = WarehouseFactory.Create(project.Project.Warehouse, project.Project.Directory);
        await using var syntax = await warehouse.OpenSyntaxCheckAsync(cancellationToken);
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

            // An ephemeral model's mistake is found again in each model that inlines it; once is enough.
            if (await SqlSyntaxProblem.FindAsync(syntax, result, cancellationToken) is { } problem && !problems.Contains(problem.Message))
            {
                problems.Add(problem.Message);
            }
        }

        if (compiled.Count == 1)
        {
            await context.Out.WriteLineAsync(compiled[0].Sql.Trim());
        }

        foreach (var problem in problems)
        {
            ErrorReporter.WriteError(context, problem);
        }

        var written = $"Compiled {compiled.Count} of {project.Nodes.Count} resources into {Path.GetRelativePath(Environment.CurrentDirectory, root)}";
        await context.Error.WriteLineAsync(problems.Count == 0 ? $"{written}." : $"{written}; the SQL of {problems.Count} does not parse on {warehouse.Engine}.");
        return problems.Count == 0 ? ExitCodes.Success : ExitCodes.Usage;
    }
}
