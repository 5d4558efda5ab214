using Sluice.Core.Models;
using Sluice.Core.Warehouse;

namespace Sluice.Operate.Export;

/// <summary>The query whose rows an export writes: <c>_id</c> first, then every column, in key order.</summary>
internal static class ExportQuery
{
    /// <summary>
    /// Selects the rows of <paramref name="target"/> (only its range's days, when it has one),
    /// ordered by the key so that two exports of the same rows write them in the same order and
    /// rows with the same id lie next to each other.
    /// </summary>
    /// <param name="dialect">The warehouse's dialect.</param>
    /// <param name="target">The model.</param>
    /// <param name="columns">The relation's columns, as the warehouse names them.</param>
    /// <param name="keyColumns">The key's columns, as the warehouse names them.</param>
    public static string Build(ISqlDialect dialect, ExportTarget target, IReadOnlyList<string> columns, IReadOnlyList<string> keyColumns)
    {
        var where = string.Empty;
        if (target is { Range: { } range, PartitionColumn: not null })
        {
            // Day literals rather than parameters: DuckDB's COPY takes no parameters, and the days
            // are formatted from DateOnly values, never from text a user typed.
            // The planner puts the partition column first in the key.
            var column = dialect.Quote(keyColumns[0]);
            where = $"\nwhere {Partitions.Condition(column, target.PartitionKey, range.From, range.To.AddDays(1))}";
        }

        return $"""
            select {DocumentId.Expression(dialect, keyColumns)} as {dialect.Quote(DocumentId.Column)}, {string.Join(", ", columns.Select(dialect.Quote))}
            from {dialect.Quote(target.Relation)}{where}
            order by {string.Join(", ", keyColumns.Select(k => $"{dialect.Quote(k)} asc nulls last"))}
            """;
    }
}
