using Sluice.Core.Templating;

namespace Sluice.Core.Graph;

/// <summary>What kind of resource a graph node is.</summary>
public enum NodeKind
{
    /// <summary>A SQL model.</summary>
    Model,

    /// <summary>A CSV seed.</summary>
    Seed,

    /// <summary>An SCD Type 2 snapshot.</summary>
    Snapshot,
}

/// <summary>A place where one resource names another (<c>ref('orders')</c>), for errors about it.</summary>
/// <param name="Name">The referenced resource's name.</param>
/// <param name="File">The file that holds the reference, relative to the project.</param>
/// <param name="Position">Where in that file.</param>
public sealed record NodeReference(string Name, string File, TextPosition Position);

/// <summary>
/// A model, seed or snapshot as the graph sees it: its name, where it is, what selectors can
/// match on, and what it reads.
/// </summary>
/// <param name="Name">Unique among the project's models, seeds and snapshots.</param>
/// <param name="Kind">Model, seed or snapshot.</param>
/// <param name="Path">The file, relative to the project, with '/' separators.</param>
/// <param name="Tags">Tags from configs.</param>
/// <param name="Config">Config values selectors may match (<c>config.materialized:table</c>), as text.</param>
/// <param name="DependsOn">The resources it refers to.</param>
public sealed record GraphNode(
    string Name,
    NodeKind Kind,
    string Path,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Config,
    IReadOnlyList<NodeReference> DependsOn);
