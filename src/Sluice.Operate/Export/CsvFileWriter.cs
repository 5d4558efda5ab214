using System.Text;
using Sluice.Warehouses.Values;

namespace Sluice.Operate.Export;

/// <summary>
/// CSV as RFC 4180 has it, in UTF-8 without a byte order mark: a header row, fields quoted when
/// they hold a comma, quote or line break, quotes doubled. NULL is an empty field and an empty
/// string <c>""</c>, as PostgreSQL's COPY writes them. Lines end with LF on every platform, so
/// that an export's bytes do not depend on the machine that wrote it. Values take their
/// <see cref="ValueText"/> form: invariant numbers, ISO-8601 dates and times, base64 for bytes.
/// </summary>
internal sealed class CsvFileWriter(Stream output, IReadOnlyList<string> names) : RowFileWriter
{

    private readonly StreamWriter _writer = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 256 * 1024, leaveOpen: true) { NewLine = "\n" };

    public override Task BeginAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < names.Count; i++)
        {
            WriteSeparator(i);
            WriteField(names[i]);
        }

        _writer.WriteLine();
        return Task.CompletedTask;
    }

    // StreamWriter buffers; its writes reach the file when the buffer fills, so a row costs no I/O call.
    public override ValueTask WriteAsync(object?[] values, CancellationToken cancellationToken)
    {
        for (var i = 0; i < values.Length; i++)
        {
            WriteSeparator(i);
            if (values[i] is { } value)
            {
                WriteField(ValueText.Format(value));
            }
        }

        _writer.WriteLine();
        return ValueTask.CompletedTask;
    }

    public override async Task CompleteAsync(CancellationToken cancellationToken) => await _writer.FlushAsync(cancellationToken);

    public override async ValueTask DisposeAsync() => await _writer.DisposeAsync();

    private void WriteSeparator(int column)
    {
        if (column > 0)
        {
            _writer.Write(',');
        }
    }

    private void WriteField(string value) => CsvField.Write(_writer, value);
}
