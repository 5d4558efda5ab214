using System.Data;
using System.Data.Common;
using Parquet;
using Parquet.Schema;

namespace Sluice.Operate.Export;

/// <summary>
/// Parquet written by Sluice (Parquet.Net) from streamed rows, for warehouses that cannot write
/// Parquet files on this machine themselves. Rows are buffered a row group at a time
/// (<see cref="RowGroupRows"/>), so memory stays bounded by one group whatever the model's size.
/// Column types follow the warehouse's: see <see cref="ParquetColumn.For"/>.
/// </summary>
internal sealed class ParquetFileWriter : RowFileWriter
{
    /// <summary>Rows per row group; DuckDB's writer uses groups of about this size too.</summary>
    public const int RowGroupRows = 100_000;

    private readonly Stream _output;
    private readonly ParquetColumn[] _columns;
    private ParquetWriter? _writer;
    private int _buffered;
    private bool _wroteGroup;

    private ParquetFileWriter(Stream output, ParquetColumn[] columns)
    {
        _output = output;
        _columns = columns;
    }

    public static ParquetFileWriter Create(Stream output, DbDataReader reader)
    {
        var schema = reader.GetSchemaTable();
        var columns = new ParquetColumn[reader.FieldCount];
        for (var i = 0; i < columns.Length; i++)
        {
            var row = schema?.Rows.Count > i ? schema.Rows[i] : null;
            columns[i] = ParquetColumn.For(reader.GetName(i), reader.GetFieldType(i), reader.GetDataTypeName(i), Number(row, "NumericPrecision"), Number(row, "NumericScale"), RowGroupRows);
        }

        return new ParquetFileWriter(output, columns);
    }

    public override async Task BeginAsync(CancellationToken cancellationToken) =>
        _writer = await ParquetWriter.CreateAsync(new ParquetSchema(_columns.Select(c => (Field)c.Field)), _output, cancellationToken: cancellationToken);

    public override async ValueTask WriteAsync(object?[] values, CancellationToken cancellationToken)
    {
        for (var i = 0; i < values.Length; i++)
        {
            _columns[i].Add(values[i]);
        }

        if (++_buffered == RowGroupRows)
        {
            await WriteGroupAsync(cancellationToken);
        }
    }

    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        // A model with no rows still gets a file with its schema and one empty row group, which
        // readers take as a table with no rows.
        if (_buffered > 0 || !_wroteGroup)
        {
            await WriteGroupAsync(cancellationToken);
        }

        await _writer!.DisposeAsync();
        _writer = null;
        await _output.FlushAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }
    }

    private async Task WriteGroupAsync(CancellationToken cancellationToken)
    {
        using (var group = _writer!.CreateRowGroup())
        {
            foreach (var column in _columns)
            {
                await column.WriteAsync(group, _buffered, cancellationToken);
            }

            group.CompleteValidate();
        }

        _buffered = 0;
        _wroteGroup = true;
    }

    private static int? Number(DataRow? row, string column) =>
        row is not null && row.Table.Columns.Contains(column) && row[column] is not DBNull and { } value
            ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
            : null;
}
