using Sluice.Core.Checks;
using Sluice.Core.Templating;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Models.Compatibility;

/// <summary>
/// Reads a project's YAML — the project file's <c>models:</c>, <c>seeds:</c> and
/// <c>snapshots:</c> trees and hooks, and the property files — for what Sluice refuses: configs it
/// does not support, materializations it does not build, data tests it does not have, model
/// versions, unknown sections; config values written as Jinja are read as templates. Sections
/// Sluice reads and ignores (unit tests, exposures, metrics …) are listed apart.
/// </summary>
internal sealed class ProjectFileCheck(TemplateCheck templates, List<CompatibilityFinding> findings, List<string> ignored)
{
    private static readonly Dictionary<string, string> IgnoredSections = new(StringComparer.Ordinal)
    {
        ["unit_tests"] = "dbt's unit tests are not run",
        ["exposures"] = "not used",
        ["metrics"] = "not used; Sluice's metrics are in metrics.yml",
        ["semantic_models"] = "not used",
        ["saved_queries"] = "not used",
        ["analyses"] = "not used",
        ["groups"] = "not used",
        ["macros"] = "documentation only",
    };

    /// <summary>Reads the project file (dbt_project.yml or sluice.yml) at <paramref name="path"/>.</summary>
    public void ProjectFile(string path, string display)
    {
        if (Load(path, display, report: false) is not YamlMappingNode root)
        {
            return;
        }

        foreach (var section in new[] { "models", "seeds", "snapshots" })
        {
            if (Child(root, section) is { } tree)
            {
                ConfigTree(display, tree, section == "models");
            }
        }

        foreach (var hook in new[] { "on-run-start", "on-run-end" })
        {
            if (Child(root, hook) is { } statements)
            {
                Jinja(display, statements, null);
            }
        }
    }

    /// <summary>Reads the property file at <paramref name="path"/>, of <paramref name="package"/> (null for the root project).</summary>
    public void PropertyFile(string path, string display, string? package)
    {
        if (Load(path, display, report: true) is not YamlMappingNode root)
        {
            return;
        }

        foreach (var (keyNode, value) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (!PropertyFiles.TopLevelKeys.Contains(key))
            {
                Add(display, keyNode, $"property file section '{key}'", $"Sluice's property files have {string.Join(", ", PropertyFiles.TopLevelKeys)}");
            }
            else if (IgnoredSections.TryGetValue(key, out var why))
            {
                ignored.Add($"{display}:{keyNode.Start.Line}: {key} ({why})");
            }
            else if (key is "models" or "seeds" or "snapshots")
            {
                foreach (var resource in Items(value))
                {
                    Resource(display, resource, key == "models", package);
                }
            }
            else if (key == "sources")
            {
                foreach (var table in Items(value).SelectMany(source => Items(Child(source, "tables"))))
                {
                    Tests(display, table);
                }
            }
        }
    }

    private void Resource(string display, YamlMappingNode resource, bool model, string? package)
    {
        if (resource.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: "versions" }) is { } versions)
        {
            Add(display, versions, "model versions", "not supported; give each version its own model (and file) name");
        }

        if (Child(resource, "config") is YamlMappingNode config)
        {
            foreach (var (key, value) in config.Children)
            {
                Config(display, (YamlScalarNode)key, value, model);
            }

            Jinja(display, config, package);
        }

        Tests(display, resource);
        foreach (var column in Items(Child(resource, "columns")))
        {
            Tests(display, column);
        }
    }

    // A tree of folder configs: '+key' and scalar values are configs; other mappings are folders.
    private void ConfigTree(string display, YamlNode node, bool models)
    {
        if (node is not YamlMappingNode mapping)
        {
            return;
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalar)
            {
                continue;
            }

            var normalized = NodeConfig.NormalizeKey(key);
            if (value is YamlMappingNode && !key.StartsWith('+') && !FolderConfigs.MappingKeys.Contains(normalized))
            {
                ConfigTree(display, value, models);
                continue;
            }

            Config(display, scalar, value, models);
            Jinja(display, value, null);
        }
    }

    private void Config(string display, YamlScalarNode key, YamlNode value, bool model)
    {
        var text = value is YamlScalarNode { Value: { } written } ? written : null;
        if (TemplateCheck.ConfigProblem(NodeConfig.NormalizeKey(key.Value ?? string.Empty), text, model) is var (construct, advice))
        {
            Add(display, key, construct, advice);
        }
    }

    private void Tests(string display, YamlMappingNode node)
    {
        foreach (var list in new[] { "tests", "data_tests" })
        {
            foreach (var item in Child(node, list) is YamlSequenceNode tests ? tests.Children : [])
            {
                var (name, at) = item switch
                {
                    YamlScalarNode { Value: { } scalar } => (scalar, item),
                    YamlMappingNode { Children.Count: 1 } mapping when mapping.Children[0].Key is YamlScalarNode { Value: { } key } => (key, mapping.Children[0].Key),
                    _ => ((string?)null, item),
                };
                if (name is null)
                {
                    Add(display, at, "data test entry", "write each test as a name (`- not_null`) or a name with its arguments (`- accepted_values: {values: [a, b]}`)");
                }
                else if (!CheckTypes.All.ContainsKey(CheckEntry.CheckType(name)) && !IsTestMacro(name))
                {
                    Add(display, at, $"data test '{name}'", $"neither Sluice's checks ({string.Join(", ", CheckTypes.All.Keys)}) nor a generic test of the project or its packages (a {{% test {name.Split('.')[^1]} %}} macro) is called that; write the test as a macro in macros/ or tests/generic/, or as a singular test in test-paths");
                }
            }
        }
    }

    // A generic test written as a macro: the root project's or dbt's `test_name`, or `test_name` of the package a `package.name` names.
    private bool IsTestMacro(string name)
    {
        var macros = templates.Macros;
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0
            ? macros.Lookup("test_" + name, null) is not null
            : macros.Find(name[..dot], "test_" + name[(dot + 1)..]) is not null;
    }

    // Strings written as Jinja anywhere under `node` are read as templates, placed where they are written.
    private void Jinja(string display, YamlNode node, string? package)
    {
        foreach (var scalar in node.AllNodes.OfType<YamlScalarNode>())
        {
            if (scalar.Value is { } text && (text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal)))
            {
                var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
                var padded = new string('\n', (int)scalar.Start.Line - 1) + new string(' ', (int)scalar.Start.Column - 1 + quoted) + text;
                templates.File(new TemplateSource(display, padded), package, TemplateCheck.Use.Other);
            }
        }
    }

    private YamlNode? Load(string path, string display, bool report)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(path)));
            return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException error)
        {
            if (report)
            {
                findings.Add(new CompatibilityFinding(display, (int)error.Start.Line, (int)error.Start.Column, "YAML that does not parse", error.Message) { Unreadable = true });
            }

            return null;
        }
    }

    private static IEnumerable<YamlMappingNode> Items(YamlNode? node) => (node as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [];

    private static YamlNode? Child(YamlMappingNode node, string key) => PropertyFiles.Child(node, key);

    private void Add(string display, YamlNode at, string construct, string advice) =>
        findings.Add(new CompatibilityFinding(display, (int)at.Start.Line, (int)at.Start.Column, construct, advice));
}
