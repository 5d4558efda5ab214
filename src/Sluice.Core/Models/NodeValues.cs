using Sluice.Core.Graph;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Models;

/// <summary>dbt's <c>model</c> and <c>node</c> variables: a node as the dict macros read.</summary>
public static class NodeValues
{
    /// <summary>The dict of a node of <paramref name="kind"/> named <paramref name="name"/> in <paramref name="package"/>.</summary>
    public static IReadOnlyDictionary<string, object?> Of(
        string name,
        NodeKind kind,
        string package,
        string file,
        TableName table,
        IReadOnlyDictionary<string, object?> config,
        IReadOnlyList<string> tags,
        string? description)
    {
        var resourceType = kind switch
        {
            NodeKind.Seed => "seed",
            NodeKind.Snapshot => "snapshot",
            _ => "model",
        };
        var folders = file.Split('/');
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = name,
            ["alias"] = table.Name,
            ["identifier"] = table.Name,
            ["schema"] = table.Schema,
            ["database"] = config.GetValueOrDefault("database") as string ?? string.Empty,
            ["resource_type"] = resourceType,
            ["unique_id"] = $"{resourceType}.{package}.{name}",
            ["package_name"] = package,
            ["path"] = folders.Length > 1 ? string.Join('/', folders[1..]) : file,
            ["original_file_path"] = file,
            ["fqn"] = new List<object?> { package }.Concat(folders.Length > 2 ? folders[1..^1] : []).Append(name).ToList(),
            ["tags"] = tags.Cast<object?>().ToList(),
            ["config"] = config,
            ["description"] = description ?? string.Empty,
        };
    }
}
