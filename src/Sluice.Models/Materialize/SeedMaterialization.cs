using Sluice.Core.Sync;
using Sluice.Core.Warehouse;
using Sluice.Models.State;
using Sluice.Sync.Csv;

namespace Sluice.Models.Materialize;

/// <summary>
/// A seed: the CSV file is read with the same type detection as CSV sources (DuckDB's CSV
/// sniffer, in a private in-memory database, so that both warehouses get the same types), with
/// <c>column_types</c> overriding it, and replaces the seed's table atomically.
/// </summary>
public sealed class SeedMaterialization : IMaterialization
{
    /// <inheritdoc />
    public async Task<RowCounts> BuildAsync(ModelBuild build, CancellationToken cancellationToken)
    {
        var seed = build.Model;
        var delimiter = seed.Config.Values.TryGetValue("delimiter", out var text) && text.Length == 1 ? text[0] : ',';
        var definition = new CsvSourceDefinition(seed.Name, seed.File, seed.SeedPath!, seed.Name, new CsvFormat(Delimiter: delimiter), seed.Config.ColumnTypes.ToDictionary(StringComparer.Ordinal))
        {
            SettingsName = $"seeds.{seed.Name}",
            ColumnsSetting = $"the column_types config of seed '{seed.Name}'",
            DisplayName = $"seed '{seed.Name}'",
        };
        var reading = await CsvReading.OpenAsync(definition, new CsvFile(seed.SeedPath!, seed.File, seed.Name), cancellationToken);
        var columns = reading.Columns.Select(c => new ColumnSpec(c.Name, c.Type)).ToList();
        long count = 0;
        var session = build.Session;
        var rows = reading.ReadRowsAsync(0, _ => count++, cancellationToken);
        var existing = await session.DescribeTableAsync(build.Table, cancellationToken);
        if (existing is not null && SameShape(existing.Columns, columns))
        {
            // Same columns: the rows are replaced in place, so views over the seed stay.
            await using var transaction = await session.BeginTransactionAsync(cancellationToken);
            await session.ExecuteAsync($"delete from {build.Dialect.Quote(build.Table)}", null, cancellationToken);
            await session.BulkLoadAsync(build.Table, [.. columns.Select(c => c.Name)], rows, cancellationToken);
            await build.CommitState(session, new RowCounts(count, count, 0, 0), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new RowCounts(count, count, 0, 0);
        }

        // New or changed columns: the table is rebuilt, and what was built on it goes with the
        // old table (as with dbt seed --full-refresh) until the models are run again.
        if (existing is not null)
        {
            await Relations.DropAsync(session, build.Table, cancellationToken);
        }

        await session.ReplaceTableAsync(
            build.Table,
            columns,
            rows,
            (s, ct) => build.CommitState(s, new RowCounts(count, count, 0, 0), ct),
            cancellationToken);
        return new RowCounts(count, count, 0, 0);
    }

    private static bool SameShape(IReadOnlyList<ColumnSpec> existing, IReadOnlyList<ColumnSpec> wanted) =>
        existing.Count == wanted.Count
        && existing.Zip(wanted).All(p => string.Equals(p.First.Name, p.Second.Name, StringComparison.OrdinalIgnoreCase) && p.First.Type == p.Second.Type);
}
