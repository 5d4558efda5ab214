using Sluice.Core.Graph;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Models;

/// <summary>A place where a model reads a source table (<c>source('app', 'emails')</c>).</summary>
/// <param name="Source">The source's name.</param>
/// <param name="Table">The table's name.</param>
/// <param name="File">The model's file.</param>
/// <param name="Position">Where in it.</param>
public sealed record SourceReference(string Source, string Table, string File, TextPosition Position);

/// <summary>
/// A model, seed or snapshot as parsed: its template, resolved configs, where it lives in the
/// warehouse, and what it reads. The definition is fixed once the project is parsed; runs render
/// its template again with their own context (incremental or not, partition bounds).
/// </summary>
public sealed class ModelDefinition
{
    /// <summary>The resource's name.</summary>
    public required string Name { get; init; }

    /// <summary>The package it comes from; null for the project's own.</summary>
    public string? Package { get; init; }

    /// <summary>Model, seed or snapshot.</summary>
    public required NodeKind Kind { get; init; }

    /// <summary>The file, relative to the project, '/'-separated.</summary>
    public required string File { get; init; }

    /// <summary>The template's text and file, for rendering and errors; null for seeds.</summary>
    public TemplateSource? Source { get; init; }

    /// <summary>The parsed template; empty for seeds.</summary>
    public IReadOnlyList<TemplateNode> Template { get; init; } = [];

    /// <summary>The resolved configs.</summary>
    public required ModelConfig Config { get; init; }

    /// <summary>The table or view it builds (ephemeral models build none, but have a name for messages).</summary>
    public required TableName Table { get; init; }

    /// <summary>The resources it refers to.</summary>
    public IReadOnlyList<NodeReference> Refs { get; init; } = [];

    /// <summary>The source tables it reads.</summary>
    public IReadOnlyList<SourceReference> SourceRefs { get; init; } = [];

    /// <summary>The description, with <c>doc()</c> blocks included.</summary>
    public string? Description { get; init; }

    /// <summary>What the property files say about it, if anything.</summary>
    public ResourceProperties? Properties { get; init; }

    /// <summary>For seeds, the CSV file's absolute path.</summary>
    public string? SeedPath { get; init; }

    /// <summary>A copy that depends on <paramref name="refs"/>.</summary>
    public ModelDefinition WithRefs(IReadOnlyList<NodeReference> refs) => new()
    {
        Name = Name,
        Package = Package,
        Kind = Kind,
        File = File,
        Source = Source,
        Template = Template,
        Config = Config,
        Table = Table,
        Refs = refs,
        SourceRefs = SourceRefs,
        Description = Description,
        Properties = Properties,
        SeedPath = SeedPath,
    };

    /// <summary>dbt's <c>model</c> variable: the node as a dict of name, schema, alias, config, tags and paths.</summary>
    public IReadOnlyDictionary<string, object?> ToTemplateValue(string rootPackage) =>
        NodeValues.Of(Name, Kind, Package ?? rootPackage, File, Table, Config.Raw, Config.Tags, Description);

    /// <summary>The node the graph and selectors work with.</summary>
    public GraphNode ToGraphNode()
    {
        var config = new Dictionary<string, string>(Config.Values, StringComparer.Ordinal)
        {
            ["materialized"] = ModelConfig.Name(Config.Materialized),
        };
        return new GraphNode(Name, Kind, File, Config.Tags, config, Refs);
    }
}
