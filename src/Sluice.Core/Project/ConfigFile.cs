using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Project;

/// <summary>
/// One YAML configuration file being read: builds errors that point at a line and column of it,
/// and reads typed values with <c>${VAR}</c> environment references expanded.
/// </summary>
/// <param name="path">The file's path, as errors should show it.</param>
/// <param name="environment">Looks up environment variables; returns null when one is not set.</param>
public sealed class ConfigFile(string path, Func<string, string?> environment)
{
    /// <summary>The file's path.</summary>
    public string Path { get; } = path;

    /// <summary>An error at <paramref name="at"/>: <c>path:line:column: message</c>.</summary>
    public ConfigurationException Error(Mark at, string message, Exception? innerException = null) =>
        new($"{Path}:{Math.Max(at.Line, 1)}:{Math.Max(at.Column, 1)}: {message}", innerException);

    /// <summary>
    /// Parses the file's <paramref name="text"/>: syntax errors and a second YAML document are
    /// errors at their line. Returns the document's root, or null when the file is empty.
    /// </summary>
    public YamlNode? Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var hint = e.Message.StartsWith("Duplicate key", StringComparison.Ordinal)
                ? "keep only one of the two"
                : "fix the YAML syntax here (indentation, a missing ':' or an unclosed quote are the usual causes)";
            throw Error(e.Start, $"{e.Message.TrimEnd('.')}; {hint}.", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return null;
        }

        return stream.Documents.Count == 1
            ? stream.Documents[0].RootNode
            : throw Error(stream.Documents[1].RootNode, $"{System.IO.Path.GetFileName(Path)} holds more than one YAML document; remove the second `---` and what follows it, or merge it into the first.");
    }

    /// <summary>An error at the start of <paramref name="node"/>.</summary>
    public ConfigurationException Error(YamlNode node, string message) => Error(node.Start, message);

    /// <summary>
    /// Reads a mapping whose keys must be among <paramref name="allowedKeys"/>. Returns each key's
    /// node (for errors about the key) and value, in file order.
    /// </summary>
    /// <param name="node">The node that should be a mapping.</param>
    /// <param name="what">What the mapping is, for errors: "warehouse", "sluice.yml".</param>
    /// <param name="allowedKeys">The keys it may have.</param>
    public IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> ReadMapping(YamlNode node, string what, IReadOnlyCollection<string> allowedKeys)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Error(node, $"{what} must be a mapping with the keys {string.Join(", ", allowedKeys)}.");
        }

        var entries = new Dictionary<string, KeyValuePair<YamlScalarNode, YamlNode>>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey)
            {
                throw Error(keyNode, $"the keys of {what} must be plain names, not lists or mappings.");
            }

            if (!allowedKeys.Contains(key))
            {
                throw Error(keyNode, $"unknown key '{key}' in {what}; the allowed keys are {string.Join(", ", allowedKeys)}.");
            }

            // YamlDotNet rejects duplicate keys while parsing already; the check stays so that
            // callers may rely on it whatever parser built the node.
            if (!entries.TryAdd(key, new(scalarKey, value)))
            {
                throw Error(keyNode, $"'{key}' appears twice in {what}; keep one.");
            }
        }

        return entries;
    }

    /// <summary>
    /// Rejects keys of a mapping read with a wider key set (the union of every variant's keys)
    /// that do not apply to the variant at hand: <c>'key' does not apply to {what}</c>.
    /// </summary>
    public void RejectKeys(IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, string what, IReadOnlyCollection<string> allowed)
    {
        foreach (var (key, entry) in entries)
        {
            if (!allowed.Contains(key))
            {
                throw Error(entry.Key, $"'{key}' does not apply to {what}; the allowed keys are {string.Join(", ", allowed)}.");
            }
        }
    }

    /// <summary>Reads a non-empty string scalar, with environment references expanded.</summary>
    /// <param name="node">The value node.</param>
    /// <param name="what">The setting, for errors: "warehouse.path".</param>
    public string ReadString(YamlNode node, string what)
    {
        if (node is not YamlScalarNode scalar)
        {
            throw Error(node, $"{what} must be a single value, not a list or mapping.");
        }

        var value = EnvironmentSubstitution.Apply(scalar.Value ?? string.Empty, environment, message => Error(node, message));
        return value.Length > 0 ? value : throw Error(node, $"{what} is empty; give it a value or remove the key.");
    }

    /// <summary>Reads a whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int ReadInt(YamlNode node, string what, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = ReadString(node, what);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(node, $"{what} must be a whole number, not '{SecretMasker.Mask(text)}'.");
        }

        return value >= min && value <= max
            ? value
            : throw Error(node, $"{what} must be between {min} and {max}, not {value}.");
    }
}
