using Sluice.Core.Models;
using Sluice.Core.Warehouse;

namespace Sluice.Models.Materialize;

/// <summary>Compares a model's new rows with its table and applies <c>on_schema_change</c>.</summary>
public static class SchemaChanges
{
    /// <summary>
    /// Returns the columns to insert: those the table and the new rows share, plus the new ones
    /// when they are appended. <c>fail</c> stops on any difference.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ReconcileAsync(ModelBuild build, TableName staging, CancellationToken cancellationToken)
    {
        var session = build.Session;
        // Names only: a catalog lookup costs milliseconds per call on DuckDB; types are read only to add columns.
        var existing = await Relations.ColumnNamesAsync(session, build.Table, cancellationToken);
        var incoming = await Relations.ColumnNamesAsync(session, staging, cancellationToken);
        var existingNames = existing.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var incomingNames = incoming.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var added = incoming.Where(c => !existingNames.Contains(c)).ToList();
        var removed = existing.Where(c => !incomingNames.Contains(c)).ToList();
        var policy = build.Model.Config.OnSchemaChange;

        if ((added.Count > 0 || removed.Count > 0) && policy == SchemaChangePolicy.Fail)
        {
            var what = new List<string>();
            if (added.Count > 0)
            {
                what.Add($"new column(s) {string.Join(", ", added)}");
            }

            if (removed.Count > 0)
            {
                what.Add($"no longer column(s) {string.Join(", ", removed)}");
            }

            throw new ModelException(
                $"model '{build.Model.Name}' ({build.Model.File}): the query has {string.Join(" and ", what)} compared with {build.Table}, and on_schema_change is 'fail'; run with --full-refresh to rebuild it, or set on_schema_change='append_new_columns'.");
        }

        if (policy == SchemaChangePolicy.AppendNewColumns && added.Count > 0)
        {
            var types = (await Relations.ColumnsAsync(session, staging, cancellationToken)).ToDictionary(c => c.Name, c => c.DataType, StringComparer.OrdinalIgnoreCase);
            foreach (var column in added)
            {
                await session.ExecuteAsync(
                    $"alter table {build.Dialect.Quote(build.Table)} add column {build.Dialect.Quote(column)} {types[column]}", null, cancellationToken);
            }

            return [.. existing.Where(incomingNames.Contains), .. added];
        }

        return [.. existing.Where(incomingNames.Contains)];
    }
}
