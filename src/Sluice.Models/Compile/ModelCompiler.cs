using Sluice.Core.Models;
using Sluice.Core.Templating;

namespace Sluice.Models.Compile;

/// <summary>
/// Renders models for execution: <c>ref()</c> resolves to the referenced model's relation (or,
/// for an ephemeral model, to a CTE that is put in front of the query), <c>source()</c> to the
/// source table, and <c>this</c> to the model's own relation.
/// </summary>
public sealed class ModelCompiler(ParsedProject project)
{
    /// <summary>The parsed project.</summary>
    public ParsedProject Project { get; } = project;

    /// <summary>Renders <paramref name="model"/> with <paramref name="facts"/>.</summary>
    public CompiledModel Compile(ModelDefinition model, RenderFacts facts)
    {
        var ctes = new List<(string Name, RenderedText Sql)>();
        var sql = Render(model, facts, ctes, []);
        var compiled = ctes.Count == 0 ? sql : SqlText.PrependCtes(sql, ctes);
        return new CompiledModel(model, compiled.Text, compiled.Map);
    }

    /// <summary>Renders any SQL that may use <c>ref()</c> and <c>source()</c>, such as that of <c>sluice query</c>.</summary>
    public string CompileAdHoc(string text, RenderFacts facts, string file = "<query>")
    {
        var source = new TemplateSource(file, text);
        var template = TemplateParser.Parse(source);
        var ctes = new List<(string, RenderedText)>();
        var context = Context(null, facts, ctes, [], (call, name) => Reference(name, call, facts, ctes, []));
        var sql = TemplateRenderer.RenderMapped(source, template, context.ToEnvironment());
        return ctes.Count == 0 ? sql.Text : SqlText.PrependCtes(sql, ctes).Text;
    }

    /// <summary>
    /// Renders what <paramref name="render"/> writes in an ad-hoc context — a generic test's macro
    /// call, whose arguments are values rather than text — as <see cref="CompileAdHoc(string, RenderFacts, string)"/>
    /// renders text: <c>ref()</c> to an ephemeral model puts its CTE in front of the result.
    /// </summary>
    /// <param name="render">Writes the SQL, given the rendering's environment.</param>
    /// <param name="facts">The rendering's facts.</param>
    /// <param name="self">What templates see as <c>this</c>.</param>
    /// <param name="config">What <c>config.get</c> answers.</param>
    /// <param name="configCall">Receives each <c>config(...)</c> call.</param>
    public string CompileAdHoc(Func<TemplateEnvironment, string> render, RenderFacts facts, object self, Func<string, object?> config, Action<TemplateCall> configCall)
    {
        var ctes = new List<(string, RenderedText)>();
        var context = Context(null, facts, ctes, [], (call, name) => Reference(name, call, facts, ctes, []), self, config, configCall);
        var sql = render(context.ToEnvironment());
        return ctes.Count == 0 ? sql : SqlText.PrependCtes(RenderedText.Unmapped(sql), ctes).Text;
    }

    /// <summary>Renders a pre- or post-hook of <paramref name="model"/>, which sees the model's <c>this</c>.</summary>
    public string CompileHook(ModelDefinition model, string hook, RenderFacts facts)
    {
        var source = new TemplateSource(model.File, hook);
        var context = Context(model, facts, [], [], (call, name) => Reference(name, call, facts, [], []));
        return TemplateRenderer.Render(source, TemplateParser.Parse(source), context.ToEnvironment());
    }

    private RenderedText Render(ModelDefinition model, RenderFacts facts, List<(string Name, RenderedText Sql)> ctes, HashSet<string> inlining)
    {
        var context = Context(model, facts, ctes, inlining, (call, name) =>
        {
            if (!model.Refs.Any(r => r.Name == name))
            {
                // The parse rendering did not reach this ref (it sits under is_incremental() or
                // a var), so the graph cannot order the model after it; dbt stops here too.
                throw call.Error($"ref('{name}') was not seen when the project was parsed (it is only reached in this run), so '{model.Name}' may run before '{name}'; add the line -- depends_on: {{{{ ref('{name}') }}}} at the top of the model");
            }

            return Reference(name, call, facts, ctes, inlining);
        });
        return TemplateRenderer.RenderMapped(model.Source!, model.Template, context.ToEnvironment());
    }

    private object Reference(string name, TemplateCall call, RenderFacts facts, List<(string Name, RenderedText Sql)> ctes, HashSet<string> inlining)
    {
        if (!Project.Nodes.TryGetValue(name, out var target))
        {
            throw call.Error($"ref('{name}') names no model, seed or snapshot");
        }

        if (target.Config.Materialized != Materialization.Ephemeral)
        {
            return new Relation(target.Table);
        }

        var cte = EphemeralRelation.CteName(name);
        if (ctes.All(c => c.Name != cte))
        {
            if (!inlining.Add(name))
            {
                throw call.Error($"the ephemeral model '{name}' refers to itself through other ephemeral models");
            }

            // Ephemeral models render as they would in a full build: is_incremental() is false.
            var sql = Render(target, facts with { IsIncremental = false }, ctes, inlining);
            inlining.Remove(name);
            ctes.Add((cte, SqlText.TrimQuery(sql)));
        }

        return new EphemeralRelation(cte);
    }

    private TemplateContext Context(ModelDefinition? model, RenderFacts facts, List<(string Name, RenderedText Sql)> ctes, HashSet<string> inlining, Func<TemplateCall, string, object?> reference, object? self = null, Func<string, object?>? config = null, Action<TemplateCall>? configCall = null) => new()
    {
        Config = configCall,
        Vars = Project.Vars,
        Environment = Project.Project.Environment,
        Target = Project.Target,
        This = self ?? (model is null
            ? new Relation(new Core.Warehouse.TableName(Project.Target.Schema, "query"))
            : model.Config.Materialized == Materialization.Ephemeral ? new EphemeralRelation(EphemeralRelation.CteName(model.Name)) : new Relation(model.Table)),
        ProjectName = Project.Settings.ProjectName,
        IsIncremental = facts.IsIncremental,
        Execute = true,
        PartitionStart = facts.PartitionStart,
        PartitionEnd = facts.PartitionEnd,
        RunStartedAt = facts.RunStartedAt,
        InvocationId = facts.InvocationId,
        Ref = reference,
        Source = (call, source, table) => new Relation(Project.ResolveSource(call, source, table)),
        Macros = Project.Macros,
        Package = model?.Package,
        Node = model?.ToTemplateValue(Project.Settings.ProjectName),
        ConfigValue = config ?? (key => model?.Config.Raw.GetValueOrDefault(key)),
        Warehouse = facts.Warehouse,
        FullRefresh = facts.FullRefresh,
        Log = facts.Log,
    };
}
