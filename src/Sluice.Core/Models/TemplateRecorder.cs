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
                new LiveConfig(config),
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

/// <summary>A node's configs as <c>model.config</c> reads them while parsing: what is set so far, config() calls included.</summary>
/// <param name="Config">The configs being gathered.</param>
internal sealed record LiveConfig(NodeConfig Config) : IReadOnlyDictionary<string, object?>
{
    public int Count => Config.Entries.Count;

    public IEnumerable<string> Keys => Config.Entries.Keys;

    public IEnumerable<object?> Values => Config.Entries.Values.Select(e => e.Value);

    public object? this[string key] => Config.Entries[key].Value;

    public bool ContainsKey(string key) => Config.Entries.ContainsKey(key);

    public bool TryGetValue(string key, out object? value)
    {
        var found = Config.Entries.TryGetValue(key, out var entry);
        value = entry?.Value;
        return found;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() =>
        Config.Entries.Select(e => new KeyValuePair<string, object?>(e.Key, e.Value.Value)).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
