using System.Text.RegularExpressions;
using Sluice.Core.Graph;
using Sluice.Core.Project;
using Sluice.Core.Sync;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Models;

/// <summary>
/// Reads a project's models, seeds and snapshots into a <see cref="ParsedProject"/>: each
/// template is parsed and rendered once in a recording context, which collects its
/// <c>ref</c>, <c>source</c> and <c>config</c> calls (as dbt's parser does); configs are merged
/// with dbt's precedence; the graph is built and checked.
/// </summary>
public static partial class ProjectParser
{
    /// <summary>Parses the project; <paramref name="extraVars"/> (from --vars) win over the project's.</summary>
    public static ParsedProject Parse(SluiceProject project, IReadOnlyDictionary<string, object?>? extraVars = null, int? threads = null)
    {
        var settings = ModelProjectSettings.Read(project);
        RejectMacros(project.Directory, settings.MacroPaths);

        var vars = settings.Vars.ToDictionary(StringComparer.Ordinal);
        foreach (var (key, value) in extraVars ?? new Dictionary<string, object?>())
        {
            vars[key] = value;
        }

        var resourceFolders = settings.ModelPaths.Concat(settings.SeedPaths).Concat(settings.SnapshotPaths).ToList();
        var properties = PropertyFiles.Read(project.Directory, resourceFolders, project.Environment);
        var docs = DocBlocks.Read(project.Directory, resourceFolders.Concat(["docs"]));
        // sluice.yml's sources; a dbt project without a sources section in sluice.yml syncs none.
        var syncSources = project.DbtProjectPath is not null && project.Section("sources") is null ? [] : SourcesReader.Read(project);
        var target = new TargetInfo(project.TargetName, project.DefaultSchema, project.Warehouse.Type, threads ?? project.Threads ?? 4);
        // The project without its resources yet: what their templates' ref(), source() and var() need.
        var parsed = new ParsedProject
        {
            Project = project,
            Settings = settings,
            Nodes = new Dictionary<string, ModelDefinition>(),
            Graph = ProjectGraph.Build([]),
            Properties = properties,
            Target = target,
            Vars = vars,
            SyncedSources = SyncedSources(syncSources),
            SourceKeys = SourceKeys(syncSources),
        };

        var builder = new Builder(parsed, docs);
        foreach (var path in ProjectFiles.Find(project.Directory, settings.ModelPaths, ".sql"))
        {
            builder.AddTemplate(path, NodeKind.Model, settings.ModelPaths, settings.Models, Path.GetFileNameWithoutExtension(path), ProjectFiles.ReadText(project.Directory, path));
        }

        foreach (var path in ProjectFiles.Find(project.Directory, settings.SnapshotPaths, ".sql"))
        {
            var display = ProjectFiles.Relative(project.Directory, path);
            foreach (var (name, text) in SnapshotBlocks.Read(display, ProjectFiles.ReadText(project.Directory, path)))
            {
                builder.AddTemplate(path, NodeKind.Snapshot, settings.SnapshotPaths, settings.Snapshots, name, text);
            }
        }

        foreach (var path in ProjectFiles.Find(project.Directory, settings.SeedPaths, ".csv"))
        {
            builder.AddSeed(path);
        }

        var nodes = builder.Finish();
        parsed = parsed with { Nodes = nodes, Graph = ProjectGraph.Build(nodes.Values.Select(n => n.ToGraphNode())), Disabled = builder.Disabled };
        return parsed with { Checks = Checks.CheckReader.Read(parsed) };
    }

    /// <summary>
    /// The schema of a resource: dbt projects name a custom schema as dbt's default
    /// generate_schema_name does (<c>&lt;target schema&gt;_&lt;custom&gt;</c>); Sluice projects use it as written.
    /// </summary>
    public static string SchemaFor(ModelConfig config, ModelProjectSettings settings, string defaultSchema) =>
        SchemaFor(config.Schema, config.Snapshot?.TargetSchema, settings, defaultSchema);

    private static string SchemaFor(string? customSchema, string? targetSchema, ModelProjectSettings settings, string defaultSchema) =>
        (targetSchema, customSchema) switch
        {
            ({ } target, _) => target,
            (null, null) => defaultSchema,
            (null, { } custom) when settings.IsDbt => $"{defaultSchema}_{custom}",
            (null, { } custom) => custom,
        };

    private static Dictionary<string, IReadOnlySet<string>?> SyncedSources(IEnumerable<SourceDefinition> syncSources)
    {
        var sources = new Dictionary<string, IReadOnlySet<string>?>(StringComparer.Ordinal);
        foreach (var source in syncSources)
        {
            sources[source.Name] = source switch
            {
                PostgresSourceDefinition postgres => postgres.Tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal),

                // A CSV source with tables is one definition per table, all of the source's name.
                CsvSourceDefinition { Table: { } table } => sources.GetValueOrDefault(source.Name) is { } known
                    ? known.Append(table).ToHashSet(StringComparer.Ordinal)
                    : new HashSet<string>(StringComparer.Ordinal) { table },
                _ => null,
            };
        }

        return sources;
    }

    private static Dictionary<(string, string), IReadOnlyList<string>> SourceKeys(IEnumerable<SourceDefinition> syncSources)
    {
        var keys = new Dictionary<(string, string), IReadOnlyList<string>>();
        foreach (var source in syncSources.OfType<PostgresSourceDefinition>())
        {
            foreach (var table in source.Tables.Where(t => t.PrimaryKey.Count > 0))
            {
                keys[(source.Name, table.Name)] = table.PrimaryKey;
            }
        }

        return keys;
    }

    // Macros would need a Python-like Jinja runtime; a project that defines them is told so
    // up front instead of failing later at a call it cannot resolve.
    private static void RejectMacros(string directory, IEnumerable<string> folders)
    {
        foreach (var path in ProjectFiles.Find(directory, folders, ".sql"))
        {
            var text = ProjectFiles.ReadText(directory, path);
            if (MacroTag().Match(text) is { Success: true } match)
            {
                var line = text.AsSpan(0, match.Index).Count('\n') + 1;
                throw new ConfigurationException(
                    $"{ProjectFiles.Relative(directory, path)}:{line}: macros are not supported; write the SQL into the models that call the macro, or use a var() or a model for shared pieces.");
            }
        }
    }

    [GeneratedRegex(@"\{%-?\s*macro\b")]
    private static partial Regex MacroTag();

    private sealed class Builder(ParsedProject project, IReadOnlyDictionary<string, string> docs)
    {
        private readonly Dictionary<string, ModelDefinition> _nodes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _disabled = new(StringComparer.Ordinal);

        public IReadOnlySet<string> Disabled => _disabled.Keys.ToHashSet(StringComparer.Ordinal);

        private SluiceProject Project => project.Project;

        private ModelProjectSettings Settings => project.Settings;

        public void AddTemplate(string path, NodeKind kind, IReadOnlyList<string> roots, FolderConfigs folderConfigs, string name, string text)
        {
            var display = ProjectFiles.Relative(Project.Directory, path);
            CheckName(display, name, kind);
            var source = new TemplateSource(display, text);
            var template = TemplateParser.Parse(source);

            var config = BaseConfig(path, roots, folderConfigs, name);
            // `this` while parsing: the relation the configs known before the template's own
            // config() call name, as in dbt.
            var fallbackThis = new Relation(new TableName(
                SchemaFor(ModelConfig.ReadText(config, "schema"), ModelConfig.ReadText(config, "target_schema"), Settings, project.Target.Schema),
                ModelConfig.ReadText(config, "alias") ?? name));
            var recording = TemplateRecorder.Record(project, source, template, fallbackThis, config);

            Add(new ModelDefinition
            {
                Name = name,
                Kind = kind,
                File = display,
                Source = source,
                Template = template,
                Config = ModelConfig.Read(config, kind, display),
                Table = fallbackThis.Table,
                Refs = recording.Refs,
                SourceRefs = recording.Sources,
            });
        }

        public void AddSeed(string path)
        {
            var display = ProjectFiles.Relative(Project.Directory, path);
            var name = Path.GetFileNameWithoutExtension(path);
            CheckName(display, name, NodeKind.Seed);
            var config = BaseConfig(path, Settings.SeedPaths, Settings.Seeds, name);
            Add(new ModelDefinition
            {
                Name = name,
                Kind = NodeKind.Seed,
                File = display,
                Config = ModelConfig.Read(config, NodeKind.Seed, display),
                Table = new TableName(project.Target.Schema, name),
                SeedPath = path,
            });
        }

        public Dictionary<string, ModelDefinition> Finish()
        {
            foreach (var node in _nodes.Values)
            {
                foreach (var reference in node.Refs)
                {
                    if (!_nodes.ContainsKey(reference.Name) && _disabled.TryGetValue(reference.Name, out var file))
                    {
                        throw new ConfigurationException(
                            $"{reference.File}:{reference.Position.Line}:{reference.Position.Column}: ref('{reference.Name}') names a model that is disabled ({file}); enable it, or disable this model too.");
                    }
                }
            }

            return _nodes;
        }

        private NodeConfig BaseConfig(string path, IReadOnlyList<string> roots, FolderConfigs folderConfigs, string name)
        {
            var config = new NodeConfig();
            folderConfigs.ApplyTo(config, Settings.ConfigPath(FoldersOf(path, roots), name));
            if (project.Properties.Resources.TryGetValue(name, out var properties))
            {
                foreach (var (key, value, origin) in properties.Config)
                {
                    config.Set(key, value, origin);
                }
            }

            return config;
        }

        private IEnumerable<string> FoldersOf(string path, IReadOnlyList<string> roots)
        {
            var relative = ProjectFiles.Relative(Project.Directory, path);
            var root = roots.FirstOrDefault(r => relative.StartsWith(r.TrimEnd('/') + "/", StringComparison.Ordinal)) ?? string.Empty;
            var inside = relative[(root.Length == 0 ? 0 : root.TrimEnd('/').Length + 1)..];
            return inside.Split('/')[..^1];
        }

        private void Add(ModelDefinition node)
        {
            var properties = project.Properties.Resources.GetValueOrDefault(node.Name);
            var table = new TableName(SchemaFor(node.Config, Settings, project.Target.Schema), node.Config.Alias ?? node.Name);
            var described = new ModelDefinition
            {
                Name = node.Name,
                Kind = node.Kind,
                File = node.File,
                Source = node.Source,
                Template = node.Template,
                Config = node.Config,
                Table = table,
                Refs = node.Refs,
                SourceRefs = node.SourceRefs,
                SeedPath = node.SeedPath,
                Properties = properties,
                Description = properties?.Description is { } description ? RenderDescription(properties, description) : null,
            };

            if (!node.Config.Enabled)
            {
                _disabled[node.Name] = node.File;
                return;
            }

            if (_nodes.TryGetValue(node.Name, out var existing))
            {
                throw new ConfigurationException($"{node.File}: the name '{node.Name}' is already used by {existing.File}; model, seed and snapshot names must be unique.");
            }

            _nodes[node.Name] = described;
        }

        private string RenderDescription(ResourceProperties properties, string description)
        {
            if (!description.Contains("{{", StringComparison.Ordinal) && !description.Contains("{%", StringComparison.Ordinal))
            {
                return description;
            }

            var padded = new string('\n', Math.Max(0, properties.DescriptionOffset - 1)) + description;
            var source = new TemplateSource(properties.File, padded);
            var globals = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["doc"] = (TemplateFunction)(call =>
                {
                    var name = call.String(0, "name");
                    return docs.TryGetValue(name, out var text)
                        ? text
                        : throw call.Error($"doc('{name}') names no docs block; define it in a .md file as {{% docs {name} %}} … {{% enddocs %}}");
                }),
                ["var"] = (TemplateFunction)(call => project.Vars.GetValueOrDefault(call.String(0, "name")) ?? call.Argument(1, "default")),
                ["env_var"] = DbtFunctions.EnvVar(Project.Environment),
            };
            return TemplateRenderer.Render(source, globals).Trim();
        }

        private static void CheckName(string file, string name, NodeKind kind)
        {
            if (!Identifier.IsValid(name))
            {
                throw new ConfigurationException(
                    $"{file}: '{name}' is not a valid {kind.ToString().ToLowerInvariant()} name; rename it to use letters, digits and underscores, starting with a letter, at most {Identifier.MaxLength} characters.");
            }
        }
    }
}
