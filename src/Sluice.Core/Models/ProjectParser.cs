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
        var packages = PackageSet.Read(project.Directory, settings, project.Environment);

        var vars = settings.Vars.ToDictionary(StringComparer.Ordinal);
        foreach (var (key, value) in extraVars ?? new Dictionary<string, object?>())
        {
            vars[key] = value;
        }

        var resourceFolders = settings.ModelPaths.Concat(settings.SeedPaths).Concat(settings.SnapshotPaths)
            .Concat(packages.Installed.SelectMany(p => PackageFolders(p, p.Settings.ModelPaths.Concat(p.Settings.SeedPaths).Concat(p.Settings.SnapshotPaths))))
            .ToList();
        var properties = PropertyFiles.Read(project.Directory, resourceFolders, project.Environment);
        var docs = DocBlocks.Read(project.Directory, resourceFolders.Concat(["docs"]));
        // sluice.yml's sources; a dbt project without a sources section in sluice.yml syncs none.
        var syncSources = project.DbtProjectPath is not null && project.Section("sources") is null ? [] : SourcesReader.Read(project);
        var target = new TargetInfo(project.TargetName, project.DefaultSchema, project.Warehouse.Type, threads ?? project.Threads ?? 4)
        {
            Database = project.Warehouse switch
            {
                DuckDbWarehouseSettings duckDb => Path.GetFileNameWithoutExtension(duckDb.Path),
                PostgresWarehouseSettings postgres when Uri.TryCreate(postgres.Url, UriKind.Absolute, out var url) => Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')),
                ClickHouseWarehouseSettings clickHouse => clickHouse.Database,
                _ => string.Empty,
            },
        };
        var macros = MacroLibrary.Load(project.Directory, settings, packages, target.Type);
        PackageCalls.RejectMissing(project.Directory, settings, packages);
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
            Macros = macros,
            Packages = packages,
        };

        var builder = new Builder(parsed, docs);
        builder.AddResources(settings, null, settings.ModelPaths, settings.SnapshotPaths, settings.SeedPaths);
        foreach (var package in packages.Installed)
        {
            var own = package.Settings;
            builder.AddResources(own, package.Name, PackageFolders(package, own.ModelPaths), PackageFolders(package, own.SnapshotPaths), PackageFolders(package, own.SeedPaths));
        }

        var nodes = SeedsBehindSources(parsed, builder.Finish());
        parsed = parsed with { Nodes = nodes, Graph = ProjectGraph.Build(nodes.Values.Select(n => n.ToGraphNode())), Disabled = builder.Disabled };
        return parsed with { Checks = Checks.CheckReader.Read(parsed) };
    }

    /// <summary>
    /// The schema of a resource without a generate_schema_name override: dbt projects name a
    /// custom schema as dbt's default does (<c>&lt;target schema&gt;_&lt;custom&gt;</c>); Sluice projects use it as written.
    /// </summary>
    public static string SchemaFor(ModelConfig config, ModelProjectSettings settings, string defaultSchema) =>
        SchemaFor(config.Schema, config.Snapshot?.TargetSchema, settings, defaultSchema);

    internal static string SchemaFor(string? customSchema, string? targetSchema, ModelProjectSettings settings, string defaultSchema) =>
        (targetSchema, customSchema) switch
        {
            ({ } target, _) => target,
            (null, null) => defaultSchema,
            (null, { } custom) when settings.IsDbt => $"{defaultSchema}_{custom}",
            (null, { } custom) => custom,
        };

    // A source declared over a seed's table (dbt projects often load their raw data as seeds and
    // read it through sources) depends on the seed: without the edge, a build could read the
    // table before the seed has loaded it.
    private static Dictionary<string, ModelDefinition> SeedsBehindSources(ParsedProject project, Dictionary<string, ModelDefinition> nodes)
    {
        var seeds = nodes.Values.Where(n => n.Kind == NodeKind.Seed).ToDictionary(n => n.Table);
        if (seeds.Count == 0)
        {
            return nodes;
        }

        foreach (var node in nodes.Values.ToList())
        {
            var added = node.SourceRefs
                .Select(s => (Reference: s, Table: project.TryResolveSource(s.Source, s.Table)))
                .Where(s => s.Table is { } table && seeds.TryGetValue(table, out var seed) && seed.Name != node.Name && node.Refs.All(r => r.Name != seed.Name))
                .Select(s => new NodeReference(seeds[s.Table!].Name, s.Reference.File, s.Reference.Position))
                .DistinctBy(r => r.Name)
                .ToList();
            if (added.Count > 0)
            {
                nodes[node.Name] = node.WithRefs([.. node.Refs, .. added]);
            }
        }

        return nodes;
    }

    // A package's folders as paths relative to the project.
    private static IReadOnlyList<string> PackageFolders(InstalledPackage package, IEnumerable<string> folders) =>
        [.. folders.Select(f => $"{package.Display}/{f}")];

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

    private sealed class Builder(ParsedProject project, IReadOnlyDictionary<string, string> docs)
    {
        private readonly Dictionary<string, ModelDefinition> _nodes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _disabled = new(StringComparer.Ordinal);
        private ProjectNaming? _naming;

        public IReadOnlySet<string> Disabled => _disabled.Keys.ToHashSet(StringComparer.Ordinal);

        private SluiceProject Project => project.Project;

        private ModelProjectSettings Settings => project.Settings;

        // The models, snapshots and seeds of the project (package null) or of an installed package.
        public void AddResources(ModelProjectSettings settings, string? package, IReadOnlyList<string> modelPaths, IReadOnlyList<string> snapshotPaths, IReadOnlyList<string> seedPaths)
        {
            var directory = Project.Directory;
            foreach (var path in ProjectFiles.Find(directory, modelPaths, ".sql"))
            {
                AddTemplate(path, NodeKind.Model, modelPaths, settings, settings.Models, package, Path.GetFileNameWithoutExtension(path), ProjectFiles.ReadText(directory, path));
            }

            foreach (var path in ProjectFiles.Find(directory, snapshotPaths, ".sql"))
            {
                var display = ProjectFiles.Relative(directory, path);
                foreach (var (name, text) in SnapshotBlocks.Read(display, ProjectFiles.ReadText(directory, path)))
                {
                    AddTemplate(path, NodeKind.Snapshot, snapshotPaths, settings, settings.Snapshots, package, name, text);
                }
            }

            foreach (var path in ProjectFiles.Find(directory, seedPaths, ".csv"))
            {
                AddSeed(path, seedPaths, settings, package);
            }
        }

        private void AddTemplate(string path, NodeKind kind, IReadOnlyList<string> roots, ModelProjectSettings settings, FolderConfigs folderConfigs, string? package, string name, string text)
        {
            var display = ProjectFiles.Relative(Project.Directory, path);
            CheckName(display, name, kind);
            var source = new TemplateSource(display, text);
            var template = TemplateParser.Parse(source);

            var config = BaseConfig(path, roots, settings, folderConfigs, package, name);
            // `this` while parsing: the relation the configs known before the template's own
            // config() call name, as in dbt.
            var fallbackThis = new Relation(Naming.TableOf(name, kind, package, display, config));
            var recording = TemplateRecorder.Record(project, source, template, fallbackThis, config, package, kind, name);

            Add(new ModelDefinition
            {
                Name = name,
                Package = package,
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

        private void AddSeed(string path, IReadOnlyList<string> roots, ModelProjectSettings settings, string? package)
        {
            var display = ProjectFiles.Relative(Project.Directory, path);
            var name = Path.GetFileNameWithoutExtension(path);
            CheckName(display, name, NodeKind.Seed);
            var config = BaseConfig(path, roots, settings, settings.Seeds, package, name);
            Add(new ModelDefinition
            {
                Name = name,
                Package = package,
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

        // A package's node takes its own project file's configs, then the root project file's
        // under the package's name (`models: dbt_date: +schema: dates`), then its properties.
        private NodeConfig BaseConfig(string path, IReadOnlyList<string> roots, ModelProjectSettings settings, FolderConfigs folderConfigs, string? package, string name)
        {
            var config = new NodeConfig();
            var folders = FoldersOf(path, roots).ToList();
            folderConfigs.ApplyTo(config, settings.ConfigPath(folders, name));
            if (package is not null)
            {
                var rootConfigs = settings.Models == folderConfigs ? Settings.Models : settings.Seeds == folderConfigs ? Settings.Seeds : Settings.Snapshots;
                rootConfigs.ApplyTo(config, [package, .. folders, name]);
            }

            if (project.Properties.Resources.TryGetValue(name, out var properties))
            {
                foreach (var (key, value, origin) in properties.Config)
                {
                    config.Set(key, value, origin);
                }
            }

            Naming.RenderConfigs(config);
            return config;
        }

        private IEnumerable<string> FoldersOf(string path, IReadOnlyList<string> roots)
        {
            var relative = ProjectFiles.Relative(Project.Directory, path);
            var root = roots.FirstOrDefault(r => relative.StartsWith(r.TrimEnd('/') + "/", StringComparison.Ordinal)) ?? string.Empty;
            var inside = relative[(root.Length == 0 ? 0 : root.TrimEnd('/').Length + 1)..];
            return inside.Split('/')[..^1];
        }

        private ProjectNaming Naming => _naming ??= new ProjectNaming(project);

        private void Add(ModelDefinition node)
        {
            var properties = project.Properties.Resources.GetValueOrDefault(node.Name);
            var table = Naming.TableOf(node.Name, node.Kind, node.Package, node.File, node.Config);
            var described = new ModelDefinition
            {
                Name = node.Name,
                Package = node.Package,
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
