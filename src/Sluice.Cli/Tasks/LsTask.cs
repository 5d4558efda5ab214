using System.CommandLine;
using Sluice.Core.Models;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary><c>sluice ls</c>: the selected resources with their kind, materialization and relation, in graph order.</summary>
internal static class LsTask
{
    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("ls", "List the project's models, seeds and snapshots with their materialization.")
        {
            ModelOptions.Select, ModelOptions.Exclude, ModelOptions.Vars,
        };
        VerbRunner.SetAction(command, globals, "listing failed", (parseResult, context, cancellationToken) =>
        {
            var project = ModelOptions.Parse(context, parseResult);
            var selected = ModelOptions.Selected(project, parseResult);
            var console = Output.Consoles.For(context.Out, !Console.IsOutputRedirected && context.Out == Console.Out);
            var table = new Table().AddColumns("name", "kind", "materialized", "relation", "file");
            foreach (var name in project.Graph.Order.Where(selected.Contains))
            {
                var model = project.Nodes[name];
                var relation = model.Config.Materialized == Materialization.Ephemeral ? "-" : model.Table.ToString();
                table.AddRow(
                    new Text(name),
                    new Text(model.Kind.ToString().ToLowerInvariant()),
                    new Text(ModelConfig.Name(model.Config.Materialized) + (model.Config.PartitionBy is { } column ? $" ({column} by {model.Config.Grain.ToString().ToLowerInvariant()})" : string.Empty)),
                    new Text(relation),
                    new Text(model.File));
            }

            console.Write(table);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
