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
        await build.Session.CreateSchemaAsync(build.Table.Schema, cancellationToken);
        await build.Session.ReplaceTableAsync(
            build.Table,
            columns,
            reading.ReadRowsAsync(0, _ => count++, cancellationToken),
            (session, ct) => build.CommitState(session, new RowCounts(count, count, 0, 0), ct),
            cancellationToken);
        return new RowCounts(count, count, 0, 0);
    }
}
