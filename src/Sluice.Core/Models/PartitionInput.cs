using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Models;

/// <summary>
/// A synced source table that feeds a partitioned model (config <c>partition_inputs</c>), and
/// the column whose day places each of its rows in a partition. A built partition is stale when
/// a sync has written or deleted rows of its days since it was built; runs of the model build it
/// again, whatever their range.
/// </summary>
/// <param name="Source">The source's name in sluice.yml.</param>
/// <param name="Table">The table's name in the source.</param>
/// <param name="Column">The raw table's date or timestamp column whose day is the partition's.</param>
public sealed record PartitionInput(string Source, string Table, string Column)
{
    private static readonly string[] Keys = ["source", "column"];

    /// <summary>Reads config <c>partition_inputs</c>: <c>[{source: 'app.emails', column: 'received_at'}]</c>.</summary>
    public static IReadOnlyList<PartitionInput> Read(NodeConfig config, string? partitionBy)
    {
        if (config.Get("partition_inputs") is not { Value: not null } entry)
        {
            return [];
        }

        const string Example = "[{source: 'app.emails', column: 'received_at'}]";
        if (entry.Value is not IReadOnlyList<object?> list || list.Any(i => i is not IReadOnlyDictionary<string, object?>))
        {
            throw config.Error("partition_inputs", $"must be a list of mappings, such as {Example}.");
        }

        if (partitionBy is null)
        {
            throw config.Error("partition_inputs", "tells which partitions a sync made stale, and this model has no partition_by; add partition_by='<date column>'.");
        }

        var inputs = new List<PartitionInput>();
        foreach (var item in list.Cast<IReadOnlyDictionary<string, object?>>())
        {
            if (item.Keys.FirstOrDefault(k => !Keys.Contains(k, StringComparer.Ordinal)) is { } unknown)
            {
                throw config.Error("partition_inputs", $"has an unknown key '{unknown}'; an input takes source ('<source>.<table>' as in sluice.yml) and column.");
            }

            var source = item.GetValueOrDefault("source") as string;
            var parts = source?.Split('.') ?? [];
            if (parts.Length != 2 || !parts.All(Identifier.IsValid))
            {
                throw config.Error("partition_inputs", $"has source {TemplateValues.Repr(item.GetValueOrDefault("source"))}; write '<source>.<table>' as sluice.yml names them, such as {Example}.");
            }

            var column = item.GetValueOrDefault("column") as string;
            if (column is null || !Identifier.IsValid(column))
            {
                throw config.Error("partition_inputs", $"(source '{source}') has column {TemplateValues.Repr(item.GetValueOrDefault("column"))}; name the date or timestamp column whose day places a row in a partition.");
            }

            inputs.Add(new PartitionInput(parts[0], parts[1], column));
        }

        return inputs;
    }
}
