using Sluice.Core.Project;
using Sluice.Core.Sync;
using Sluice.Core.Warehouse;
using Sluice.Sync.Csv;
using Sluice.Sync.Engine;
using Sluice.Warehouses.DuckDb;

namespace Sluice.Sync.Parity;

/// <summary>
/// Compares the files of a CSV table with its raw table: rows per UTC day of the parity date
/// column and in total, with the key checksums when <c>primary_key</c> is given. The files are
/// read again as the sync reads them; each side aggregates in its own engine.
/// </summary>
internal static class CsvParity
{
    /// <summary>Files counted by one query.</summary>
    internal const int FilesPerQuery = 16;

    /// <summary>Counts the files of <paramref name="table"/> (at least one) and the raw table, and pairs them.</summary>
    public static async Task<ParityReport> RunAsync(IWarehouseSession session, CsvSourceDefinition source, string table, IReadOnlyList<CsvFile> files, CancellationToken cancellationToken)
    {
        // One in-memory DuckDB detects every file's columns and counts a group of files per query:
        // each file scanned in a query holds its own read buffers, so a query over hundreds of
        // files would need gigabytes, while the sums of the groups' counts are the same.
        using var memory = CsvReading.RentMemory();
        var connection = memory.Connection;
        ColumnKind? dayKind = null;
        var checksum = source.PrimaryKey.Count > 0;
        var needed = source.PrimaryKey.Append(source.ParityDateColumn).OfType<string>().ToList();
        var selects = new List<string>();
        foreach (var file in files)
        {
            var reading = await CsvReading.OpenAsync(source, file, connection, cancellationToken);
            dayKind = DayKind(source, file, reading);
            foreach (var key in source.PrimaryKey)
            {
                var column = reading.Columns.FirstOrDefault(c => c.Name == key)
                    ?? throw Problem(source, $"primary_key names '{key}', which {file.Name} does not have; its columns are {string.Join(", ", reading.Columns.Select(c => c.Name))}");
                checksum &= ParityCheck.HasComparableText(column.Type.Kind);
            }

            selects.Add(reading.SelectSql(string.Empty, needed));
        }

        var sourceSide = Counts.None;
        foreach (var group in selects.Chunk(FilesPerQuery))
        {
            var sql = ParityCheck.CountSql(DuckDbDialect.Instance, $"({string.Join(" union all ", group)}) as csv_files", source.ParityDateColumn, dayKind, checksum ? source.PrimaryKey : null, "true");
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            try
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                sourceSide = sourceSide.Plus(await ParityCheck.ReadAsync(reader, cancellationToken));
            }
            catch (DuckDb.DuckDbException e)
            {
                throw Problem(source, $"the files could not be read again for parity ({e.Message})");
            }
        }

        var warehouseSide = await ParityCheck.WarehouseCountsAsync(session, RawTables.For(source.Name, table), source.ParityDateColumn, dayKind, checksum ? source.PrimaryKey : null, cancellationToken);
        return ParityCheck.Pair(source.Name, table, source.ParityDateColumn, checksum, sourceSide, warehouseSide);
    }

    private static ColumnKind? DayKind(CsvSourceDefinition source, CsvFile file, CsvReading reading)
    {
        if (source.ParityDateColumn is not { } name)
        {
            return null;
        }

        var column = reading.Columns.FirstOrDefault(c => c.Name == name)
            ?? throw Problem(source, $"parity date_column '{name}' is not a column of {file.Name}; its columns are {string.Join(", ", reading.Columns.Select(c => c.Name))}");
        return ParityCheck.IsDayKind(column.Type.Kind)
            ? column.Type.Kind
            : throw Problem(source, $"parity date_column '{name}' of {file.Name} is read as {column.Type}; choose a date or timestamp column, or declare its type under columns");
    }

    private static SourceException Problem(CsvSourceDefinition source, string message) =>
        new($"{source.Location}: {source.SettingsName}: {message}.") { IsUserFault = true };
}
