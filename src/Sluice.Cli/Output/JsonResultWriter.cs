using System.Text.Json;
using Sluice.Warehouses.Values;

namespace Sluice.Cli.Output;

/// <summary><c>--format json</c>: one compact array of objects, one property per column.</summary>
internal sealed class JsonResultWriter(Stream output) : ResultWriter
{
    private const int FlushThreshold = 64 * 1024;

    private readonly Utf8JsonWriter _writer = new(output, JsonValueWriter.Options);
    private JsonEncodedText[] _names = [];

    public override async Task WriteRowsAffectedAsync(int rowsAffected, CancellationToken cancellationToken)
    {
        _writer.WriteStartObject();
        _writer.WriteNumber("rows_affected", rowsAffected);
        _writer.WriteEndObject();
        await FinishAsync(cancellationToken);
    }

    protected override Task BeginAsync(IReadOnlyList<ResultColumn> columns, CancellationToken cancellationToken)
    {
        _names = columns.Select(c => JsonEncodedText.Encode(c.Name, JsonValueWriter.Options.Encoder)).ToArray();
        _writer.WriteStartArray();
        return Task.CompletedTask;
    }

    protected override async Task WriteRowAsync(object?[] values, CancellationToken cancellationToken)
    {
        _writer.WriteStartObject();
        for (var i = 0; i < values.Length; i++)
        {
            _writer.WritePropertyName(_names[i]);
            JsonValueWriter.Write(_writer, values[i]);
        }

        _writer.WriteEndObject();
        if (_writer.BytesPending > FlushThreshold)
        {
            await _writer.FlushAsync(cancellationToken);
        }
    }

    protected override async Task EndAsync(CancellationToken cancellationToken)
    {
        _writer.WriteEndArray();
        await FinishAsync(cancellationToken);
    }

    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        await _writer.FlushAsync(cancellationToken);
        await _writer.DisposeAsync();
        await output.WriteAsync("\n"u8.ToArray(), cancellationToken);
        await output.FlushAsync(cancellationToken);
    }
}
