using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Models;

/// <summary>
/// The folder-level configs of a project file (the <c>models:</c>, <c>seeds:</c> and
/// <c>snapshots:</c> trees of dbt_project.yml or sluice.yml): at each level, keys with a leading
/// '+' (or the names of known configs) are configs, and other keys with a mapping value name a
/// folder — or, at the last level, a single resource. A deeper level wins over a shallower one.
/// </summary>
public sealed class FolderConfigs
{
    // Configs whose value is a mapping; without the '+', they would read as folders.
    private static readonly HashSet<string> MappingConfigs =
    [
        "column_types", "meta", "docs", "persist_docs", "grants", "partition_by", "quoting", "contract", "snapshot_meta_column_names", "config",
    ];

    private readonly Level _root;

    /// <summary>The configs whose value is a mapping, which a project file may write without the '+'.</summary>
    internal static IReadOnlySet<string> MappingKeys => MappingConfigs;

    private FolderConfigs(Level root) => _root = root;

    /// <summary>No configs.</summary>
    public static FolderConfigs Empty { get; } = new(new Level());

    /// <summary>Reads a tree; <paramref name="what"/> names it in errors ("models").</summary>
    public static FolderConfigs Read(ConfigFile file, string displayPath, YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return Empty;
        }

        return new FolderConfigs(ReadLevel(file, displayPath, node, what));
    }

    /// <summary>
    /// Adds the configs that apply to the resource at <paramref name="path"/> (its folders and,
    /// last, its name), least specific first.
    /// </summary>
    public void ApplyTo(NodeConfig config, IReadOnlyList<string> path)
    {
        var level = _root;
        level.ApplyTo(config);
        foreach (var part in path)
        {
            if (!level.Children.TryGetValue(part, out var child))
            {
                return;
            }

            level = child;
            level.ApplyTo(config);
        }
    }

    /// <summary>The first-level keys that are folders (for dbt_project.yml, the package names).</summary>
    public IReadOnlyCollection<string> TopLevelFolders => _root.Children.Keys;

    private static Level ReadLevel(ConfigFile file, string displayPath, YamlNode node, string what)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw file.Error(node, $"{what} must be a mapping of folders and '+config' keys, such as `+materialized: table`.");
        }

        var level = new Level();
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? throw file.Error(keyNode, $"the keys of {what} must be names.");
            var origin = $"{displayPath}:{value.Start.Line}:{value.Start.Column}";
            var isConfig = key.StartsWith('+') || value is not YamlMappingNode || MappingConfigs.Contains(NodeConfig.NormalizeKey(key));
            if (isConfig)
            {
                level.Configs.Add((key, YamlValues.From(value), origin));
            }
            else
            {
                level.Children[key] = ReadLevel(file, displayPath, value, $"{what}.{key}");
            }
        }

        return level;
    }

    private sealed class Level
    {
        public List<(string Key, object? Value, string Origin)> Configs { get; } = [];

        public Dictionary<string, Level> Children { get; } = new(StringComparer.Ordinal);

        public void ApplyTo(NodeConfig config)
        {
            foreach (var (key, value, origin) in Configs)
            {
                config.Set(key, value, origin);
            }
        }
    }
}
