using System.Data.Common;
using System.Text;
using System.Text.Json;
using Sluice.Warehouses.Values;

namespace Sluice.Checks;

/// <summary>Failing rows, or what a table check measured, as the JSON array results keep.</summary>
internal static class FailureSample
{
    /// <summary>The most rows a sample keeps.</summary>
    public const int Limit = 20;

    public static async Task<string> ReadAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, JsonValueWriter.Options))
        {
            json.WriteStartArray();
            var rows = 0;
            while (rows++ < Limit && await reader.ReadAsync(cancellationToken))
            {
                json.WriteStartObject();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    json.WritePropertyName(reader.GetName(i));
                    JsonValueWriter.Write(json, reader.IsDBNull(i) ? null : reader.GetValue(i));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Of(IReadOnlyList<(string Name, object? Value)> measured)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonValueWriter.Options))
        {
            json.WriteStartArray();
            json.WriteStartObject();
            foreach (var (name, value) in measured)
            {
                json.WritePropertyName(name);
                JsonValueWriter.Write(json, value);
            }

            json.WriteEndObject();
            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
