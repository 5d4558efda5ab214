using System.Text;
using System.Text.Json;

namespace Sluice.Core.Templating;

/// <summary>Template values to and from JSON, as dbt's <c>tojson</c> and <c>fromjson</c> do.</summary>
public static class TemplateJson
{
    /// <summary>The JSON text of <paramref name="value"/>; keys in order, or sorted when <paramref name="sortKeys"/>.</summary>
    public static string Serialize(object? value, bool sortKeys = false)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, value, sortKeys);
        }

        // Python's json.dumps separates items with ", " and keys with ": ".
        return Spaced(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>The value of JSON <paramref name="text"/>: objects become dicts, arrays lists, numbers integers or floats.</summary>
    public static object? Deserialize(string text)
    {
        using var document = JsonDocument.Parse(text);
        return From(document.RootElement);
    }

    private static void Write(Utf8JsonWriter writer, object? value, bool sortKeys)
    {
        switch (value)
        {
            case null or Undefined:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case IReadOnlyDictionary<string, object?> dict:
                writer.WriteStartObject();
                foreach (var (key, item) in sortKeys ? dict.OrderBy(e => e.Key, StringComparer.Ordinal) : dict.AsEnumerable())
                {
                    writer.WritePropertyName(key);
                    Write(writer, item, sortKeys);
                }

                writer.WriteEndObject();
                break;
            case IReadOnlyList<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Write(writer, item, sortKeys);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(TemplateValues.Render(value));
                break;
        }
    }

    private static string Spaced(string json)
    {
        var result = new StringBuilder(json.Length + 16);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            result.Append(c);
            if (inString)
            {
                if (c == '\\')
                {
                    result.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is ',' or ':')
            {
                result.Append(' ');
            }
        }

        return result.ToString();
    }

    private static object? From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => From(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(From).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? (object)whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

}
