using System.Data.Common;

namespace Sluice.Operate.Export;

/// <summary>
/// Writes the rows of an export's query to a file in one format, a row at a time, so that a
/// model of any size passes through in bounded memory. The first column is <c>_id</c>.
/// </summary>
internal abstract class RowFileWriter : IAsyncDisposable
{
    /// <summary>A writer of <paramref name="format"/> to <paramref name="output"/>, for the columns of <paramref name="reader"/>.</summary>
    public static RowFileWriter Create(ExportFormat format, Stream output, DbDataReader reader) => format switch
    {
        ExportFormat.Jsonl => new JsonLinesFileWriter(output, Names(reader)),
        ExportFormat.Csv => new CsvFileWriter(output, Names(reader)),
        _ => ParquetFileWriter.Create(output, reader),
    };

    /// <summary>Writes the start of the file, such as a header row.</summary>
    public abstract Task BeginAsync(CancellationToken cancellationToken);

    /// <summary>Writes one row; <paramref name="values"/> (null for SQL NULL) is reused for the next.</summary>
    public abstract ValueTask WriteAsync(object?[] values, CancellationToken cancellationToken);

    /// <summary>Writes what is buffered and the end of the file.</summary>
    public abstract Task CompleteAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string[] Names(DbDataReader reader)
    {
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetName(i);
        }

        return names;
    }
}
