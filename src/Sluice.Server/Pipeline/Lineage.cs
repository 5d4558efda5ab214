using Sluice.Core.Graph;
using Sluice.Core.Models;

namespace Sluice.Server.Pipeline;

/// <summary>The project's graph as the model pages draw it: resources and the source tables they read, each with its neighbours.</summary>
internal static class Lineage
{
    public static IReadOnlyList<LineageNode> Build(ParsedProject project)
    {
        var sourceReaders = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var name in project.Graph.Order)
        {
            foreach (var source in SourcesOf(project.Nodes[name]))
            {
                if (!sourceReaders.TryGetValue(source, out var readers))
                {
                    sourceReaders[source] = readers = [];
                }

                readers.Add(name);
            }
        }

        var sources = sourceReaders.Select(s =>
        {
            var (source, table) = (s.Key[..s.Key.IndexOf('.', StringComparison.Ordinal)], s.Key[(s.Key.IndexOf('.', StringComparison.Ordinal) + 1)..]);
            return new LineageNode(s.Key, "source", null, project.TryResolveSource(source, table)?.ToString() ?? s.Key, null, null, [], [], s.Value);
        });
        var resources = project.Graph.Order.Select(name => Node(project, project.Nodes[name]));
        return [.. sources, .. resources];
    }

    public static LineageNode Node(ParsedProject project, ModelDefinition model) => new(
        model.Name,
        model.Kind.ToString().ToLowerInvariant(),
        model.Kind == NodeKind.Model ? ModelConfig.Name(model.Config.Materialized) : model.Kind.ToString().ToLowerInvariant(),
        model.Table.ToString(),
        model.File,
        model.Description,
        model.Config.Tags,
        [.. SourcesOf(model), .. project.Graph.ParentsOf(model.Name)],
        project.Graph.ChildrenOf(model.Name));

    private static IEnumerable<string> SourcesOf(ModelDefinition model) =>
        model.SourceRefs.Select(s => $"{s.Source}.{s.Table}").Distinct(StringComparer.Ordinal);
}
