using Sluice.Core.Project;

namespace Sluice.Core.Graph;

/// <summary>
/// The directed graph of a project's resources, from each resource to those that read it.
/// Building it checks that every reference names a resource and that there is no cycle.
/// </summary>
public sealed class ProjectGraph
{
    private readonly Dictionary<string, GraphNode> _nodes;
    private readonly Dictionary<string, List<string>> _children;
    private readonly Dictionary<string, List<string>> _parents;

    private ProjectGraph(Dictionary<string, GraphNode> nodes, Dictionary<string, List<string>> parents, Dictionary<string, List<string>> children, IReadOnlyList<string> order)
    {
        _nodes = nodes;
        _parents = parents;
        _children = children;
        Order = order;
    }

    /// <summary>Every node name, parents before children; ties in name order, so runs are repeatable.</summary>
    public IReadOnlyList<string> Order { get; }

    /// <summary>The nodes by name.</summary>
    public IReadOnlyDictionary<string, GraphNode> Nodes => _nodes;

    /// <summary>Builds the graph, or fails naming the first bad reference, duplicate name or cycle.</summary>
    public static ProjectGraph Build(IEnumerable<GraphNode> nodes)
    {
        var byName = new Dictionary<string, GraphNode>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (byName.TryGetValue(node.Name, out var existing))
            {
                throw new ConfigurationException($"{node.Path}: the name '{node.Name}' is already used by {existing.Path}; model, seed and snapshot names must be unique.");
            }

            byName[node.Name] = node;
        }

        var parents = byName.Keys.ToDictionary(n => n, _ => new List<string>(), StringComparer.Ordinal);
        var children = byName.Keys.ToDictionary(n => n, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var node in byName.Values)
        {
            foreach (var reference in node.DependsOn)
            {
                if (!byName.ContainsKey(reference.Name))
                {
                    throw new ConfigurationException(
                        $"{Place(reference)}: ref('{reference.Name}') names no model, seed or snapshot{Suggestion(reference.Name, byName.Keys)}");
                }

                if (!parents[node.Name].Contains(reference.Name, StringComparer.Ordinal))
                {
                    parents[node.Name].Add(reference.Name);
                    children[reference.Name].Add(node.Name);
                }
            }
        }

        return new ProjectGraph(byName, parents, children, Sort(byName, parents, children));
    }

    /// <summary>The resources <paramref name="name"/> reads directly.</summary>
    public IReadOnlyList<string> ParentsOf(string name) => _parents[name];

    /// <summary>The resources that read <paramref name="name"/> directly.</summary>
    public IReadOnlyList<string> ChildrenOf(string name) => _children[name];

    /// <summary>Everything upstream of <paramref name="name"/>, up to <paramref name="depth"/> steps (null: all).</summary>
    public IReadOnlySet<string> Ancestors(string name, int? depth = null) => Walk(name, _parents, depth);

    /// <summary>Everything downstream of <paramref name="name"/>, up to <paramref name="depth"/> steps (null: all).</summary>
    public IReadOnlySet<string> Descendants(string name, int? depth = null) => Walk(name, _children, depth);

    private static HashSet<string> Walk(string start, Dictionary<string, List<string>> edges, int? depth)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var frontier = new List<string> { start };
        for (var step = 0; frontier.Count > 0 && (depth is null || step < depth); step++)
        {
            frontier = frontier.SelectMany(n => edges[n]).Where(found.Add).ToList();
        }

        return found;
    }

    // Kahn's algorithm with a sorted ready set; what is left over lies on or behind a cycle.
    private static List<string> Sort(Dictionary<string, GraphNode> nodes, Dictionary<string, List<string>> parents, Dictionary<string, List<string>> children)
    {
        var waiting = parents.ToDictionary(p => p.Key, p => p.Value.Count, StringComparer.Ordinal);
        var ready = new SortedSet<string>(waiting.Where(w => w.Value == 0).Select(w => w.Key), StringComparer.Ordinal);
        var order = new List<string>(nodes.Count);
        while (ready.Count > 0)
        {
            var next = ready.Min!;
            ready.Remove(next);
            order.Add(next);
            foreach (var child in children[next])
            {
                if (--waiting[child] == 0)
                {
                    ready.Add(child);
                }
            }
        }

        if (order.Count < nodes.Count)
        {
            var cycle = FindCycle(waiting.Where(w => w.Value > 0).Select(w => w.Key).Order(StringComparer.Ordinal).First(), parents, waiting);
            throw CycleError(nodes, cycle);
        }

        return order;
    }

    // Names the place of every ref() along the cycle, in the order data flows, so that the user
    // can go to each and decide which one to remove.
    private static ConfigurationException CycleError(Dictionary<string, GraphNode> nodes, List<string> cycle)
    {
        var references = new List<NodeReference>();
        for (var i = 0; i + 1 < cycle.Count; i++)
        {
            references.Add(nodes[cycle[i + 1]].DependsOn.First(r => r.Name == cycle[i]));
        }

        var places = references.Select(r => $"ref('{r.Name}') at {Place(r)}").ToList();
        var through = places.Count == 1 ? places[0] : $"{string.Join(", ", places[..^1])} and {places[^1]}";
        return new ConfigurationException(
            $"{Place(references[0])}: models depend on each other in a cycle: {string.Join(" → ", cycle)}, through {through}; remove one of these references.");
    }

    private static string Place(NodeReference reference) => $"{reference.File}:{reference.Position.Line}:{reference.Position.Column}";

    // Follows unsorted parents from a node left over by the sort until a node repeats.
    private static List<string> FindCycle(string start, Dictionary<string, List<string>> parents, Dictionary<string, int> waiting)
    {
        var path = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var current = start;
        while (!seen.ContainsKey(current))
        {
            seen[current] = path.Count;
            path.Add(current);
            current = parents[current].Where(p => waiting[p] > 0).Order(StringComparer.Ordinal).First();
        }

        // The path walks from child to parent; show it in the direction data flows, from its
        // first name in order.
        var cycle = path.Skip(seen[current]).Reverse().ToList();
        var first = cycle.IndexOf(cycle.Order(StringComparer.Ordinal).First());
        cycle = [.. cycle.Skip(first), .. cycle.Take(first)];
        cycle.Add(cycle[0]);
        return cycle;
    }

    private static string Suggestion(string name, IEnumerable<string> names)
    {
        var closest = names
            .Select(n => (Name: n, Distance: EditDistance(name, n)))
            .Where(c => c.Distance <= Math.Max(2, name.Length / 4))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return closest.Name is null ? "." : $" — did you mean '{closest.Name}'?";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
