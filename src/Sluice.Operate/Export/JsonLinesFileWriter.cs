using System.Buffers;
using System.Text.Json;
using Sluice.Warehouses.Values;

namespace Sluice.Operate.Export;

/// <summary>
/// JSON Lines: each row one compact JSON object on its own line, ending with LF, properties in
/// the query's column order (<c>_id</c> first). Values are typed as <c>sluice query --format json</c>
/// writes them: numbers as numbers (decimals with their scale), ISO-8601 dates and times,
/// base64 for bytes; so the same rows always give the same bytes.
/// </summary>
internal sealed class JsonLinesFileWriter : RowFileWriter
{
    private const int FlushThreshold = 256 * 1024;

    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold + (64 * 1024));
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText[] _names;

    public JsonLinesFileWriter(Stream output, IReadOnlyList<string> names)
    {
        _output = output;
        _json = new Utf8JsonWriter(_buffer, JsonValueWriter.Options);
        _names = [.. names.Select(n => JsonEncodedText.Encode(n, JsonValueWriter.Options.Encoder))];
    }

    public override Task BeginAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async ValueTask WriteAsync(object?[] values, CancellationToken cancellationToken)
    {
        // One writer per line: Utf8JsonWriter writes one JSON value, so it is reset after each.
        _json.Reset();
        _json.WriteStartObject();
        for (var i = 0; i < values.Length; i++)
        {
            _json.WritePropertyName(_names[i]);
            JsonValueWriter.Write(_json, values[i]);
        }

        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n"u8);
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            await FlushAsync(cancellationToken);
        }
    }

    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await _output.FlushAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync() => await _json.DisposeAsync();

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _output.WriteAsync(_buffer.WrittenMemory, cancellationToken);
        _buffer.ResetWrittenCount();
    }
}
