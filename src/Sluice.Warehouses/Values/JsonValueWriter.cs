using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sluice.Warehouses.Values;

/// <summary>
/// Writes a warehouse value as typed JSON: numbers as numbers (any size, decimals exact),
/// booleans, null, strings; lists as arrays and maps as objects. Values JSON has no type for
/// (dates, durations, binary) take their <see cref="ValueText"/> form as a string.
/// </summary>
public static class JsonValueWriter
{
    /// <summary>Writer options for output read by people and programs, not embedded in HTML: only what JSON requires is escaped.</summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="value"/> as one JSON value.</summary>
    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int or long or short or sbyte or byte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong unsigned:
                writer.WriteNumberValue(unsigned);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                WriteFloat(writer, number);
                break;
            case float number:
                WriteFloat(writer, number);
                break;

            // HUGEINT sums and the like: JSON numbers have no size limit, Utf8JsonWriter does.
            case Int128 or UInt128 or BigInteger:
                writer.WriteRawValue(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case IDictionary map:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    writer.WritePropertyName(ValueText.Format(entry.Key));
                    Write(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(ValueText.Format(value));
                break;
        }
    }

    // JSON has no NaN or Infinity; the string keeps the value visible instead of failing the output.
    private static void WriteFloat(Utf8JsonWriter writer, double number)
    {
        if (double.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, float number)
    {
        if (float.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
        }
    }
}
