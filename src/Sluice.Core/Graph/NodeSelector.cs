using System.Text.RegularExpressions;
using Sluice.Core.Project;

namespace Sluice.Core.Graph;

/// <summary>
/// dbt's node selection syntax: words separated by spaces are a union, parts of a word joined by
/// commas an intersection. Each part is a method and value (<c>tag:nightly</c>,
/// <c>path:models/marts</c>, <c>config.materialized:incremental</c>, or a plain name, which may
/// hold <c>*</c> wildcards) with optional graph operators: <c>+m</c> (and its ancestors),
/// <c>m+</c> (and its descendants), <c>2+m</c> / <c>m+1</c> (that many steps), <c>@m</c> (its
/// descendants and all of their ancestors).
/// </summary>
public static partial class NodeSelector
{
    private const string Methods = "a name, tag:, path:, config.<key>:";

    /// <summary>The nodes <paramref name="select"/> picks (everything when empty), less those <paramref name="exclude"/> picks.</summary>
    public static IReadOnlySet<string> Select(ProjectGraph graph, IReadOnlyList<string> select, IReadOnlyList<string> exclude)
    {
        var chosen = select.Count == 0
            ? new HashSet<string>(graph.Nodes.Keys, StringComparer.Ordinal)
            : Union(graph, select, "--select");
        if (exclude.Count > 0)
        {
            chosen.ExceptWith(Union(graph, exclude, "--exclude"));
        }

        return chosen;
    }

    private static HashSet<string> Union(ProjectGraph graph, IReadOnlyList<string> expressions, string option)
    {
        var union = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in expressions.SelectMany(e => e.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            HashSet<string>? intersection = null;
            foreach (var part in word.Split(','))
            {
                var matched = Part(graph, part, option);
                if (intersection is null)
                {
                    intersection = matched;
                }
                else
                {
                    intersection.IntersectWith(matched);
                }
            }

            union.UnionWith(intersection!);
        }

        return union;
    }

    private static HashSet<string> Part(ProjectGraph graph, string part, string option)
    {
        var match = PartPattern().Match(part);
        if (!match.Success)
        {
            throw new ConfigurationException($"{option} '{part}': not a selector — write a name, tag:x, path:dir or config.key:value, with optional '+' before or after.");
        }

        var at = match.Groups["at"].Success;
        var up = match.Groups["up"].Success;
        var down = match.Groups["down"].Success;
        int? upDepth = match.Groups["updepth"].Success ? int.Parse(match.Groups["updepth"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        int? downDepth = match.Groups["downdepth"].Success ? int.Parse(match.Groups["downdepth"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        var body = match.Groups["body"].Value;

        var roots = Roots(graph, body, option);
        if (roots.Count == 0)
        {
            throw new ConfigurationException($"{option} '{part}' matches no model, seed or snapshot.");
        }

        var result = new HashSet<string>(roots, StringComparer.Ordinal);
        foreach (var root in roots)
        {
            if (up)
            {
                result.UnionWith(graph.Ancestors(root, upDepth));
            }

            if (down || at)
            {
                result.UnionWith(graph.Descendants(root, downDepth));
            }
        }

        if (at)
        {
            foreach (var node in result.ToList())
            {
                result.UnionWith(graph.Ancestors(node));
            }
        }

        return result;
    }

    private static List<string> Roots(ProjectGraph graph, string body, string option)
    {
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            var pattern = Wildcard(body);
            return graph.Nodes.Keys.Where(n => pattern.IsMatch(n)).ToList();
        }

        var method = body[..colon];
        var value = body[(colon + 1)..];
        if (value.Length == 0)
        {
            throw new ConfigurationException($"{option} '{body}': the value after '{method}:' is missing.");
        }

        if (method == "tag")
        {
            return graph.Nodes.Values.Where(n => n.Tags.Contains(value, StringComparer.Ordinal)).Select(n => n.Name).ToList();
        }

        if (method == "path")
        {
            var path = value.Replace('\\', '/').TrimEnd('/');
            return graph.Nodes.Values
                .Where(n => n.Path == path || n.Path.StartsWith(path + "/", StringComparison.Ordinal) || Path.ChangeExtension(n.Path, null) == path)
                .Select(n => n.Name)
                .ToList();
        }

        if (method.StartsWith("config.", StringComparison.Ordinal) && method.Length > "config.".Length)
        {
            var key = method["config.".Length..];
            return graph.Nodes.Values
                .Where(n => n.Config.TryGetValue(key, out var configured) && string.Equals(configured, value, StringComparison.OrdinalIgnoreCase))
                .Select(n => n.Name)
                .ToList();
        }

        if (method is "resource_type")
        {
            return graph.Nodes.Values.Where(n => string.Equals(n.Kind.ToString(), value, StringComparison.OrdinalIgnoreCase)).Select(n => n.Name).ToList();
        }

        throw new ConfigurationException($"{option} '{body}': unknown selector method '{method}' — supported: {Methods}, resource_type:.");
    }

    private static Regex Wildcard(string name) =>
        new("^" + Regex.Escape(name).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^(?:(?<at>@)|(?<updepth>\d+)?(?<up>\+))?(?<body>[^+@\s]+)(?:(?<down>\+)(?<downdepth>\d+)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PartPattern();
}
