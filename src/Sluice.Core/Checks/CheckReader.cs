using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Checks;

/// <summary>
/// Reads the checks a project declares — <c>tests:</c> and <c>data_tests:</c> of models, seeds,
/// snapshots, their columns and source tables in property files; dbt's source
/// <c>freshness</c>; singular SQL files in test-paths (files with <c>{% test %}</c> blocks there are
/// generic tests, read as macros) — and validates them before anything
/// runs: an unknown check, a bad argument or a check on something that does not exist is an
/// error naming the file and line.
/// </summary>
public static class CheckReader
{
    /// <summary>Every enabled check of <paramref name="project"/>, ordered by file and line, named uniquely.</summary>
    public static IReadOnlyList<CheckDefinition> Read(ParsedProject project)
    {
        var reader = new Reader(project);
        foreach (var resource in project.Properties.Resources.Values)
        {
            reader.ReadResource(resource);
        }

        foreach (var source in project.Properties.Sources.Values)
        {
            reader.ReadSource(source);
        }

        // Files holding {% test %} blocks are generic tests, which the macro library reads.
        foreach (var path in ProjectFiles.Find(project.Project.Directory, project.Settings.TestPaths, ".sql").Where(p => !MacroLibrary.IsGenericTestFile(project.Project.Directory, p)))
        {
            reader.ReadSingular(path);
        }

        return CheckNames.Assign(reader.Checks);
    }

    private sealed class Reader(ParsedProject project)
    {
        public List<(CheckDefinition Check, string? GivenName, YamlNode? At)> Checks { get; } = [];

        public void ReadResource(ResourceProperties resource)
        {
            var file = new ConfigFile(resource.File, project.Project.Environment);
            var lists = new List<(YamlNode List, string? Column)>();
            AddList(file, resource.Node, null, lists);
            foreach (var column in resource.Columns)
            {
                AddList(file, column.Node, column.Name, lists);
            }

            if (lists.Count == 0 || project.Disabled.Contains(resource.Name))
            {
                return;
            }

            if (!project.Nodes.ContainsKey(resource.Name))
            {
                throw file.Error(resource.Node, $"checks are declared on '{resource.Name}', which is not a model, seed or snapshot of this project; fix the name or remove the entry.");
            }

            var target = RelationReference.ForModel(resource.Name);
            foreach (var (list, column) in lists)
            {
                ReadList(file, list, target, column);
            }
        }

        public void ReadSource(DeclaredSource source)
        {
            var file = new ConfigFile(source.File, project.Project.Environment);
            var target = RelationReference.ForSource(source.SourceName, source.TableName);
            var lists = new List<(YamlNode List, string? Column)>();
            AddList(file, source.Node, null, lists);
            if (PropertyFiles.Child(source.Node, "columns") is YamlSequenceNode columns)
            {
                foreach (var column in columns.OfType<YamlMappingNode>())
                {
                    if (PropertyFiles.Child(column, "name") is YamlScalarNode { Value: { Length: > 0 } name })
                    {
                        AddList(file, column, name, lists);
                    }
                }
            }

            foreach (var (list, column) in lists)
            {
                ReadList(file, list, target, column);
            }

            ReadSourceFreshness(file, source, target);
        }

        public void ReadSingular(string path)
        {
            var display = ProjectFiles.Relative(project.Project.Directory, path);
            var text = ProjectFiles.ReadText(project.Project.Directory, path);
            var name = Path.GetFileNameWithoutExtension(path);
            if (!Identifier.IsValid(name))
            {
                throw new ConfigurationException($"{display}: '{name}' is not a valid check name; rename the file to use letters, digits and underscores, starting with a letter.");
            }

            var source = new TemplateSource(display, text);
            var template = TemplateParser.Parse(source);
            var config = new NodeConfig();
            var recording = TemplateRecorder.Record(project, source, template, new Relation(new TableName(project.Target.Schema, name)), config);
            var reads = new List<RelationReference>();
            foreach (var reference in recording.Refs)
            {
                if (project.Disabled.Contains(reference.Name))
                {
                    return;
                }

                if (!project.Nodes.ContainsKey(reference.Name))
                {
                    throw new ConfigurationException($"{reference.File}:{reference.Position.Line}:{reference.Position.Column}: ref('{reference.Name}') names no model, seed or snapshot of this project.");
                }

                reads.Add(RelationReference.ForModel(reference.Name));
            }

            reads.AddRange(recording.Sources.Select(s => RelationReference.ForSource(s.Source, s.Table)));
            var options = SingularOptions(config, display);
            if (options.Enabled)
            {
                Checks.Add((new CheckDefinition
                {
                    Name = name,
                    Kind = new SingularCheck(source, template),
                    Target = reads.FirstOrDefault(),
                    Severity = options.Severity,
                    StoreFailures = options.StoreFailures,
                    Tags = options.Tags,
                    Reads = reads.Distinct().ToList(),
                    File = display,
                    Line = 1,
                }, name, null));
            }
        }

        private static void AddList(ConfigFile file, YamlMappingNode node, string? column, List<(YamlNode, string?)> lists)
        {
            var tests = PropertyFiles.Child(node, "tests");
            var dataTests = PropertyFiles.Child(node, "data_tests");
            if (tests is not null && dataTests is not null)
            {
                throw file.Error(dataTests, "both tests: and data_tests: are given here; keep one (data_tests: is dbt's newer name).");
            }

            if ((tests ?? dataTests) is { } list and not YamlScalarNode { Value: null or "" })
            {
                lists.Add((list, column));
            }
        }

        private void ReadList(ConfigFile file, YamlNode list, RelationReference target, string? column)
        {
            if (list is not YamlSequenceNode items)
            {
                throw file.Error(list, "tests: must be a list, such as `tests: [not_null, unique]`.");
            }

            foreach (var item in items)
            {
                if (CheckEntry.Read(file, item, target, column, project) is { } entry)
                {
                    Checks.Add(entry);
                }
            }
        }

        // dbt's source freshness: `freshness:` and `loaded_at_field:` on a source or its table.
        private void ReadSourceFreshness(ConfigFile file, DeclaredSource source, RelationReference target)
        {
            var freshness = PropertyFiles.Child(source.Node, "freshness") ?? PropertyFiles.Child(source.SourceNode, "freshness");
            if (freshness is null or YamlScalarNode { Value: null or "" or "null" })
            {
                return;
            }

            var loadedAt = PropertyFiles.Child(source.Node, "loaded_at_field") ?? PropertyFiles.Child(source.SourceNode, "loaded_at_field");
            if (loadedAt is null)
            {
                throw file.Error(freshness, $"freshness of source '{source.SourceName}' needs loaded_at_field: the timestamp column that says when a row arrived.");
            }

            var entries = file.ReadMapping(freshness, "freshness", ["warn_after", "error_after", "filter"]);
            var warn = entries.TryGetValue("warn_after", out var w) ? ConfigValues.Duration(file, w.Value, "warn_after") : (TimeSpan?)null;
            var error = entries.TryGetValue("error_after", out var e) ? ConfigValues.Duration(file, e.Value, "error_after") : (TimeSpan?)null;
            if (warn is null && error is null)
            {
                return;
            }

            Checks.Add((new CheckDefinition
            {
                Name = string.Empty,
                Kind = new FreshnessCheck(warn, error),
                Target = target,
                Column = file.ReadString(loadedAt, "loaded_at_field"),
                Where = entries.TryGetValue("filter", out var filter) ? file.ReadString(filter.Value, "freshness.filter") : null,
                Reads = [target],
                File = file.Path,
                Line = (int)freshness.Start.Line,
            }, null, freshness));
        }

        private static (bool Enabled, CheckSeverity Severity, bool StoreFailures, IReadOnlyList<string> Tags) SingularOptions(NodeConfig config, string file)
        {
            foreach (var (key, entry) in config.Entries)
            {
                if (key is not ("severity" or "store_failures" or "tags" or "enabled" or "description" or "meta"))
                {
                    throw new ConfigurationException($"{entry.Origin}: config '{key}' does not apply to a singular check; the configs are severity, store_failures, tags and enabled.");
                }
            }

            var severity = config.Get("severity") is { } s
                ? CheckValues.Severity(TemplateValues.Render(s.Value)) ?? throw new ConfigurationException($"{s.Origin}: severity must be 'warn' or 'error', not '{TemplateValues.Render(s.Value)}'.")
                : CheckSeverity.Error;
            return (
                config.Get("enabled")?.Value is not false,
                severity,
                config.Get("store_failures")?.Value is true,
                config.Get("tags")?.Value switch
                {
                    string tag => [tag],
                    IEnumerable<object?> tags => tags.Select(TemplateValues.Render).ToList(),
                    _ => [],
                });
        }
    }
}
