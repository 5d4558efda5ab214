using Sluice.Core.Graph;
using Sluice.Core.Project;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Models;

/// <summary>
/// Where a project's nodes live, as dbt decides it: the root project's
/// <c>generate_schema_name</c> and <c>generate_alias_name</c> macros when it overrides them,
/// dbt's defaults otherwise; and config values written as Jinja in project and property files
/// (<c>+enabled: "{{ var('load_source_data', false) }}"</c>), rendered as dbt renders them.
/// </summary>
internal sealed class ProjectNaming(ParsedProject project)
{
    // Hooks are rendered when they run, with the node's `this`.
    private static readonly HashSet<string> RenderedLater = ["pre_hook", "post_hook", "sql_header"];
    private readonly MacroValue? _schemaMacro = project.Macros.Find(project.Macros.RootPackage, "generate_schema_name");
    private readonly MacroValue? _aliasMacro = project.Macros.Find(project.Macros.RootPackage, "generate_alias_name");
    private readonly MacroValue? _databaseMacro = project.Macros.Find(project.Macros.RootPackage, "generate_database_name");
    private TemplateEnvironment? _environment;

    /// <summary>The table of a node whose configs are gathered so far in <paramref name="config"/>.</summary>
    public TableName TableOf(string name, NodeKind kind, string? package, string file, NodeConfig config) =>
        TableOf(name, kind, package, file, ModelConfig.ReadText(config, "schema"), ModelConfig.ReadText(config, "target_schema"), ModelConfig.ReadText(config, "alias"), config.Entries.ToDictionary(e => e.Key, e => e.Value.Value, StringComparer.Ordinal), ModelConfig.ReadNames(config, "tags"));

    /// <summary>The table of a node with its final <paramref name="config"/>.</summary>
    public TableName TableOf(string name, NodeKind kind, string? package, string file, ModelConfig config) =>
        TableOf(name, kind, package, file, config.Schema, config.Snapshot?.TargetSchema, config.Alias, config.Raw, config.Tags);

    /// <summary>Renders the config values written as Jinja, in place.</summary>
    public void RenderConfigs(NodeConfig config)
    {
        foreach (var (key, entry) in config.Entries.ToList())
        {
            if (entry.Value is string text && !RenderedLater.Contains(key) && (text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal)))
            {
                var rendered = TemplateRenderer.Render(new TemplateSource(entry.Origin, text), TemplateParser.Parse(new TemplateSource(entry.Origin, text)), Environment).Trim();
                config.Replace(key, rendered switch
                {
                    "True" => true,
                    "False" => false,
                    "None" => null,
                    _ => rendered,
                });
            }
        }
    }

    private TableName TableOf(string name, NodeKind kind, string? package, string file, string? customSchema, string? targetSchema, string? customAlias, IReadOnlyDictionary<string, object?> config, IReadOnlyList<string> tags)
    {
        var defaultSchema = project.Target.Schema;
        CheckDatabase(name, kind, package, file, config, tags);
        if (_schemaMacro is null && _aliasMacro is null)
        {
            return new TableName(ProjectParser.SchemaFor(customSchema, targetSchema, project.Settings, defaultSchema), customAlias ?? name);
        }

        var node = NodeValues.Of(name, kind, package ?? project.Macros.RootPackage, file, new TableName(defaultSchema, customAlias ?? name), config, tags, null);
        var schema = targetSchema ?? (_schemaMacro is null
            ? ProjectParser.SchemaFor(customSchema, null, project.Settings, defaultSchema)
            : Call(_schemaMacro, customSchema, node, file));
        var alias = _aliasMacro is null ? customAlias ?? name : Call(_aliasMacro, customAlias, node, file);
        return new TableName(schema, alias);
    }

    // Sluice builds in the target's database only: a node that dbt would put in another one is an error, not a silent move.
    private void CheckDatabase(string name, NodeKind kind, string? package, string file, IReadOnlyDictionary<string, object?> config, IReadOnlyList<string> tags)
    {
        var custom = config.GetValueOrDefault("database") as string;
        if (_databaseMacro is null && custom is null)
        {
            return;
        }

        var database = _databaseMacro is null
            ? custom!
            : TemplateValues.Render(TemplateRenderer.CallMacro(_databaseMacro, Environment, [custom, NodeValues.Of(name, kind, package ?? project.Macros.RootPackage, file, new TableName(project.Target.Schema, name), config, tags, null)], new Dictionary<string, object?>())).Trim();
        if (database.Length > 0 && !string.Equals(database, project.Target.Database, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationException(
                $"{file}: '{name}' would be built in the database '{database}'{(_databaseMacro is null ? " (config database)" : $" ({_databaseMacro.Macro.Source.File}: generate_database_name)")}, but Sluice builds every model in the target's database '{project.Target.Database}'; remove the database config or make generate_database_name return target.database.");
        }
    }

    private string Call(MacroValue macro, string? custom, IReadOnlyDictionary<string, object?> node, string file)
    {
        var result = TemplateValues.Render(TemplateRenderer.CallMacro(macro, Environment, [custom, node], new Dictionary<string, object?>())).Trim();
        return Identifier.IsValid(result) || result.Length > 0 && !result.Contains('"')
            ? result
            : throw new ConfigurationException($"{file}: {macro.Macro.Name} ({macro.Macro.Source.File}) gave '{result}', which is not a schema or table name; make the macro return a name.");
    }

    // The context dbt renders project files and naming macros with: target, var, env_var — no ref or source.
    private TemplateEnvironment Environment => _environment ??= new TemplateContext
    {
        Vars = project.Vars,
        Environment = project.Project.Environment,
        Target = project.Target,
        This = new Relation(new TableName(project.Target.Schema, "this")),
        ProjectName = project.Settings.ProjectName,
        Macros = project.Macros,
        Ref = (call, _) => throw call.Error("ref() cannot be used in a project file's configs or a naming macro"),
        Source = (call, _, _) => throw call.Error("source() cannot be used in a project file's configs or a naming macro"),
    }.ToEnvironment();
}
