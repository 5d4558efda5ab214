using Sluice.Core.Graph;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Models;

/// <summary>
/// Renders a template once with a recording context, as dbt's parser does: every <c>ref()</c>,
/// <c>source()</c> and <c>config()</c> call it reaches is collected, and the SQL it produces is
/// thrown away. Models and singular checks are read this way.
/// </summary>
public static class TemplateRecorder
{
    /// <summary>What one recording render collected.</summary>
    /// <param name="Refs">The <c>ref()</c> calls.</param>
    /// <param name="Sources">The <c>source()</c> calls.</param>
    public sealed record Recording(IReadOnlyList<NodeReference> Refs, IReadOnlyList<SourceReference> Sources);

    /// <summary>
    /// Renders <paramref name="template"/> of <paramref name="source"/>; <c>config()</c> values go
    /// into <paramref name="config"/>, <c>this</c> is <paramref name="thisRelation"/>.
    /// </summary>
    public static Recording Record(ParsedProject project, TemplateSource source, IReadOnlyList<TemplateNode> template, Relation thisRelation, NodeConfig config, string? package = null, NodeKind kind = NodeKind.Model, string? name = null)
    {
        var refs = new List<NodeReference>();
        var sources = new List<SourceReference>();
        var context = new TemplateContext
        {
            Vars = project.Vars,
            Environment = project.Project.Environment,
            Target = project.Target,
            This = thisRelation,
            ProjectName = project.Settings.ProjectName,
            PartitionStart = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1),
            PartitionEnd = DateOnly.FromDateTime(DateTime.UtcNow),
            RunStartedAt = DateTimeOffset.UtcNow,
            Ref = (call, model) =>
            {
                refs.Add(new NodeReference(model, source.File, call.Source.PositionOf(call.Offset)));
                return new Relation(new TableName(project.Target.Schema, model));
            },
            Source = (call, sourceName, table) =>
            {
                sources.Add(new SourceReference(sourceName, table, source.File, call.Source.PositionOf(call.Offset)));
                return new Relation(project.ResolveSource(call, sourceName, table));
            },
            Macros = project.Macros,
            Package = package,
            Node = NodeValues.Of(
                name ?? Path.GetFileNameWithoutExtension(source.File),
                kind,
                package ?? project.Settings.ProjectName,
                source.File,
                thisRelation.Table,
                config.Entries.ToDictionary(e => e.Key, e => e.Value.Value, StringComparer.Ordinal),
                ModelConfig.ReadNames(config, "tags"),
                null),
            ConfigValue = key => config.Get(key)?.Value,
            Config = call =>
            {
                var position = call.Source.PositionOf(call.Offset);
                foreach (var (key, value) in call.Named)
                {
                    config.Set(key, value, $"{source.File}:{position.Line}:{position.Column}");
                }
            },
        };
        TemplateRenderer.Render(source, template, context.ToEnvironment());
        return new Recording(refs, sources);
    }
}
