using System.Text;
using Sluice.Warehouses.Values;

namespace Sluice.Cli.Output;

/// <summary>
/// <c>--format csv</c> as RFC 4180 has it: a header row, and fields quoted when they hold a
/// comma, quote or line break, with quotes doubled. NULL is an empty field and an empty string is
/// <c>""</c>, as PostgreSQL's COPY writes them, so the two stay apart. Lines end as the platform's
/// text does (LF on Linux and macOS), as psql and the duckdb shell write CSV; <c>--crlf</c>
/// (<paramref name="crlf"/>) ends them with CRLF as RFC 4180 says.
/// </summary>
internal sealed class CsvResultWriter(Stream output, bool crlf) : ResultWriter
{

    private readonly StreamWriter _writer = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024) { NewLine = crlf ? "\r\n" : Environment.NewLine };

    public override async Task WriteRowsAffectedAsync(int rowsAffected, CancellationToken cancellationToken)
    {
        await _writer.WriteLineAsync("rows_affected");
        await _writer.WriteLineAsync(rowsAffected.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await _writer.FlushAsync(cancellationToken);
    }

    protected override async Task BeginAsync(IReadOnlyList<ResultColumn> columns, CancellationToken cancellationToken)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            WriteSeparator(i);
            WriteField(columns[i].Name);
        }

        await _writer.WriteLineAsync();
    }

    protected override async Task WriteRowAsync(object?[] values, CancellationToken cancellationToken)
    {
        for (var i = 0; i < values.Length; i++)
        {
            WriteSeparator(i);
            if (values[i] is not null)
            {
                WriteField(ValueText.Format(values[i]));
            }
        }

        await _writer.WriteLineAsync();
    }

    protected override Task EndAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);

    private void WriteSeparator(int column)
    {
        if (column > 0)
        {
            _writer.Write(',');
        }
    }

    private void WriteField(string value) => CsvField.Write(_writer, value);
}
