using Sluice.Core.Models;
using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Checks;

/// <summary>The arguments of one check being read, with errors that name the check and the line.</summary>
internal sealed class CheckArguments(ConfigFile file, IReadOnlyDictionary<string, YamlNode> args, string what, ParsedProject project, List<RelationReference> reads, YamlNode at)
{
    public bool Has(string key) => args.ContainsKey(key);

    public ConfigurationException Error(string message) => file.Error(at, $"{what} {message}");

    public string? Text(string key) => args.TryGetValue(key, out var node) ? file.ReadString(node, key) : null;

    public string RequiredText(string key, string example) => Text(key) ?? throw Error($"needs {key}, such as {example}.");

    public bool? Bool(string key) => args.TryGetValue(key, out var node) ? ConfigValues.Bool(file, node, key) : null;

    public double? Fraction(string key) => args.TryGetValue(key, out var node) ? ConfigValues.Fraction(file, node, key) : null;

    public TimeSpan? Duration(string key) => args.TryGetValue(key, out var node) ? ConfigValues.Duration(file, node, key) : null;

    public object? Scalar(string key)
    {
        if (!args.TryGetValue(key, out var node))
        {
            return null;
        }

        return node is YamlScalarNode scalar && YamlValues.Scalar(scalar) is { } value
            ? value
            : throw file.Error(node, $"{key} must be a single value: a number, a date such as '2024-01-01', or a SQL expression.");
    }

    public long? Count(string key)
    {
        if (!args.TryGetValue(key, out var node))
        {
            return null;
        }

        return node is YamlScalarNode scalar && YamlValues.Scalar(scalar) is long count && count >= 0
            ? count
            : throw file.Error(node, $"{key} must be a whole number of rows, 0 or more.");
    }

    public IReadOnlyList<object?> Values(string key)
    {
        if (!args.TryGetValue(key, out var node))
        {
            throw Error($"needs values, such as `values: [placed, shipped]`.");
        }

        if (node is not YamlSequenceNode { Children.Count: > 0 } list || list.Any(v => v is not YamlScalarNode))
        {
            throw file.Error(node, $"{key} must be a non-empty list of single values, such as `[placed, shipped]`.");
        }

        return list.Select(v => YamlValues.Scalar((YamlScalarNode)v)).ToList();
    }

    public IReadOnlyList<string> Names(string key, string example) =>
        args.TryGetValue(key, out var node) ? ConfigValues.Names(file, node, key) : throw Error($"needs {key}, such as {example}.");

    /// <summary>The relation <c>ref('x')</c> or <c>source('a', 'b')</c> names, or null when it is a disabled model.</summary>
    public RelationReference? Relation(string key)
    {
        if (!args.TryGetValue(key, out var node))
        {
            throw Error($"needs {key}, such as `{key}: ref('customers')`.");
        }

        var relation = RelationReference.Read(file, node, key, project);
        if (relation is not null)
        {
            reads.Add(relation);
        }

        return relation;
    }
}
