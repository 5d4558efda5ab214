using Sluice.Core.Checks;
using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Project;

namespace Sluice.Checks;

/// <summary>
/// Which checks <c>sluice test --select/--exclude</c> picks: a check's own name, <c>source:name</c>
/// or <c>source:name.table</c> for the checks of sources, <c>tag:x</c> for checks tagged x, and
/// any node selector (<c>stg_orders+</c>, <c>path:models/marts</c>) for the checks of the models
/// it picks. Without --select, every check.
/// </summary>
public static class CheckSelection
{
    /// <summary>The checks picked, in the project's order.</summary>
    public static IReadOnlyList<CheckDefinition> Select(ParsedProject project, IReadOnlyList<string> select, IReadOnlyList<string> exclude)
    {
        var chosen = select.Count == 0 ? [.. project.Checks] : Union(project, select, "--select");
        chosen.ExceptWith(exclude.Count == 0 ? [] : Union(project, exclude, "--exclude"));
        return [.. project.Checks.Where(chosen.Contains)];
    }

    private static HashSet<CheckDefinition> Union(ParsedProject project, IReadOnlyList<string> expressions, string option)
    {
        var picked = new HashSet<CheckDefinition>();
        var nodeSelectors = new List<string>();
        foreach (var word in expressions.SelectMany(e => e.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (project.Checks.FirstOrDefault(c => c.Name == word) is { } named)
            {
                picked.Add(named);
            }
            else if (word.StartsWith("source:", StringComparison.Ordinal))
            {
                var value = word["source:".Length..];
                var matches = project.Checks.Where(c => c.Reads.Any(r => r.IsSource && (r.Source == value || $"{r.Source}.{r.Table}" == value))).ToList();
                picked.UnionWith(matches.Count > 0 ? matches : throw new ConfigurationException($"{option} '{word}' matches no check of a source."));
            }
            else if (word.StartsWith("tag:", StringComparison.Ordinal) && project.Checks.Any(c => c.Tags.Contains(word[4..])))
            {
                picked.UnionWith(project.Checks.Where(c => c.Tags.Contains(word[4..])));
                if (project.Graph.Nodes.Values.Any(n => n.Tags.Contains(word[4..])))
                {
                    nodeSelectors.Add(word);
                }
            }
            else
            {
                nodeSelectors.Add(word);
            }
        }

        if (nodeSelectors.Count > 0)
        {
            var nodes = NodeSelector.Select(project.Graph, nodeSelectors, []);
            picked.UnionWith(project.Checks.Where(c => c.Target is { IsSource: false } target && nodes.Contains(target.Model!)
                || (c.Kind is SingularCheck && c.Models.Any(nodes.Contains))));
        }

        return picked;
    }
}
