using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Server.Http;

/// <summary>How the API writes JSON: snake_case properties, dictionary keys as they are (column names), numbers as numbers, non-ASCII text unescaped.</summary>
internal static class ApiJson
{
    /// <summary>Applies the API's settings to <paramref name="options"/>.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;

        // Numbers are written as numbers and read only as numbers, so that the OpenAPI document
        // types them as numbers (the web defaults would also accept "12", typing every number
        // as number-or-string for clients generated from it).
        options.NumberHandling = JsonNumberHandling.Strict;
        options.DictionaryKeyPolicy = null;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper));
    }

    /// <summary>The settings, for bodies serialized ahead of the response (cached answers).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions();
        Configure(options);
        options.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        return options;
    }
}
