using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Models;

/// <summary>A column as a property file describes it.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Description">Its description, unrendered.</param>
/// <param name="Node">The whole entry, for the stages that read more of it (checks).</param>
public sealed record ColumnProperties(string Name, string? Description, YamlMappingNode Node);

/// <summary>A model, seed or snapshot as a property file (schema.yml) describes it.</summary>
/// <param name="Name">The resource's name.</param>
/// <param name="File">The property file, relative to the project.</param>
/// <param name="Description">The description, unrendered (it may call <c>doc()</c>).</param>
/// <param name="DescriptionOffset">Where the description's value starts, as a line, for errors.</param>
/// <param name="Config">The entry's <c>config:</c> values with where each was set.</param>
/// <param name="Columns">The columns it describes.</param>
/// <param name="Node">The whole entry.</param>
public sealed record ResourceProperties(
    string Name,
    string File,
    string? Description,
    int DescriptionOffset,
    IReadOnlyList<(string Key, object? Value, string Origin)> Config,
    IReadOnlyList<ColumnProperties> Columns,
    YamlMappingNode Node);

/// <summary>A table of a dbt-style source declared in a property file.</summary>
/// <param name="SourceName">The source's name, the first argument of <c>source()</c>.</param>
/// <param name="TableName">The table's name, the second argument.</param>
/// <param name="Schema">The warehouse schema (the source's <c>schema</c>, else its name).</param>
/// <param name="Identifier">The warehouse table (the table's <c>identifier</c>, else its name).</param>
/// <param name="File">The property file.</param>
/// <param name="Node">The table's entry, for checks and freshness.</param>
/// <param name="SourceNode">The source's entry, for what its tables inherit (freshness).</param>
/// <param name="NamesLocation">Whether the entry gives a schema or identifier; without them, a source that sluice.yml syncs resolves to its raw table.</param>
public sealed record DeclaredSource(string SourceName, string TableName, string Schema, string Identifier, string File, YamlMappingNode Node, YamlMappingNode SourceNode, bool NamesLocation);

/// <summary>What the property files (.yml) under a project's resource folders declare.</summary>
public sealed class PropertyFiles
{
    private static readonly string[] TopKeys =
    [
        "version", "models", "seeds", "snapshots", "sources", "macros", "exposures", "metrics", "semantic_models",
        "saved_queries", "analyses", "groups", "unit_tests", "data_tests", "functions",
    ];

    /// <summary>The top-level keys a property file may have.</summary>
    internal static IReadOnlyList<string> TopLevelKeys => TopKeys;

    /// <summary>Models, seeds and snapshots by name.</summary>
    public Dictionary<string, ResourceProperties> Resources { get; } = new(StringComparer.Ordinal);

    /// <summary>Declared source tables, by (source, table).</summary>
    public Dictionary<(string Source, string Table), DeclaredSource> Sources { get; } = [];

    /// <summary>Reads every .yml and .yaml file under <paramref name="folders"/> of <paramref name="projectDirectory"/>.</summary>
    public static PropertyFiles Read(string projectDirectory, IEnumerable<string> folders, Func<string, string?> environment)
    {
        var result = new PropertyFiles();
        foreach (var path in ProjectFiles.Find(projectDirectory, folders, ".yml", ".yaml"))
        {
            result.ReadFile(projectDirectory, path, environment);
        }

        return result;
    }

    private void ReadFile(string projectDirectory, string path, Func<string, string?> environment)
    {
        var display = ProjectFiles.Relative(projectDirectory, path);
        var file = new ConfigFile(display, environment);
        if (file.Parse(File.ReadAllText(path)) is not { } root)
        {
            return;
        }

        var entries = file.ReadMapping(root, display, TopKeys);
        foreach (var kind in new[] { "models", "seeds", "snapshots" })
        {
            if (entries.TryGetValue(kind, out var list))
            {
                foreach (var item in Items(file, list.Value, kind))
                {
                    var resource = ReadResource(file, item, kind);
                    if (Resources.TryGetValue(resource.Name, out var earlier))
                    {
                        throw file.Error(item, $"'{resource.Name}' is already described in {earlier.File}; describe each resource once.");
                    }

                    Resources[resource.Name] = resource;
                }
            }
        }

        if (entries.TryGetValue("sources", out var sources))
        {
            foreach (var item in Items(file, sources.Value, "sources"))
            {
                ReadSource(file, item);
            }
        }
    }

    private static IEnumerable<YamlMappingNode> Items(ConfigFile file, YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            yield break;
        }

        if (node is not YamlSequenceNode list)
        {
            throw file.Error(node, $"{what} must be a list of entries that start with `- name: …`.");
        }

        foreach (var item in list)
        {
            yield return item as YamlMappingNode ?? throw file.Error(item, $"each entry of {what} must be a mapping with a name.");
        }
    }

    private static string Name(ConfigFile file, YamlMappingNode node, string what) =>
        Child(node, "name") is { } name ? file.ReadString(name, $"{what} name") : throw file.Error(node, $"this entry of {what} has no name; add `name: …`.");

    /// <summary>The value of <paramref name="key"/> in a mapping, or null.</summary>
    internal static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: { } k } && k == key).Value;

    private static string? Text(YamlMappingNode node, string key) => Child(node, key) is YamlScalarNode { Value: { } value } ? value : null;

    private static ResourceProperties ReadResource(ConfigFile file, YamlMappingNode node, string kind)
    {
        var name = Name(file, node, kind);
        if (Child(node, "versions") is { } versions)
        {
            throw file.Error(versions, $"model versions are not supported; give each version of '{name}' its own model name.");
        }

        var config = new List<(string, object?, string)>();
        if (Child(node, "config") is { } configNode)
        {
            if (YamlValues.From(configNode) is not IReadOnlyDictionary<string, object?>)
            {
                throw file.Error(configNode, $"config of '{name}' must be a mapping, such as `config: {{materialized: table}}`.");
            }

            foreach (var (key, value) in ((YamlMappingNode)configNode).Children)
            {
                config.Add((((YamlScalarNode)key).Value!, YamlValues.From(value), $"{file.Path}:{value.Start.Line}:{value.Start.Column}"));
            }
        }

        // dbt also reads docs, tags and meta written beside config.
        foreach (var key in new[] { "tags", "meta", "docs" })
        {
            if (Child(node, key) is { } value)
            {
                config.Add((key, YamlValues.From(value), $"{file.Path}:{value.Start.Line}:{value.Start.Column}"));
            }
        }

        var columns = new List<ColumnProperties>();
        if (Child(node, "columns") is { } columnList)
        {
            foreach (var column in Items(file, columnList, $"the columns of '{name}'"))
            {
                columns.Add(new ColumnProperties(Name(file, column, "column"), Text(column, "description"), column));
            }
        }

        var descriptionLine = Child(node, "description")?.Start.Line ?? node.Start.Line;
        return new ResourceProperties(name, file.Path, Text(node, "description"), (int)descriptionLine, config, columns, node);
    }

    private void ReadSource(ConfigFile file, YamlMappingNode node)
    {
        var name = Name(file, node, "sources");
        var schema = Text(node, "schema") ?? name;
        if (Child(node, "tables") is not { } tables)
        {
            throw file.Error(node, $"source '{name}' lists no tables; add `tables:` with `- name: …` entries.");
        }

        foreach (var table in Items(file, tables, $"the tables of source '{name}'"))
        {
            var tableName = Name(file, table, "table");
            var identifier = Text(table, "identifier");
            var declared = new DeclaredSource(name, tableName, schema, identifier ?? tableName, file.Path, table, node, Text(node, "schema") is not null || identifier is not null);
            if (!Sources.TryAdd((name, tableName), declared))
            {
                throw file.Error(table, $"source('{name}', '{tableName}') is already declared in {Sources[(name, tableName)].File}; declare it once.");
            }
        }
    }
}
