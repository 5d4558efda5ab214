using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Demo;

/// <summary>
/// What a demo folder holds, so that running the demo again generates only the days since:
/// the example, the seed, where the source data lives, and the first and last day generated. Kept as
/// <c>data/demo.json</c> in the project.
/// </summary>
/// <param name="Seed">The generator's seed.</param>
/// <param name="Source"><c>csv</c> or <c>postgres</c>.</param>
/// <param name="First">The first day of data.</param>
/// <param name="Last">The last day generated.</param>
public sealed record DemoRecord(long Seed, string Source, DateOnly First, DateOnly Last)
{
    /// <summary>The example the demo runs (<c>applylens</c> when a record from before examples were named has none).</summary>
    public string Example { get; init; } = "applylens";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The record's path inside a project folder.</summary>
    public static string PathIn(string directory) => Path.Combine(directory, "data", "demo.json");

    /// <summary>The record of the demo in <paramref name="directory"/>, or null when there is none.</summary>
    public static DemoRecord? Read(string directory)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<DemoRecord>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a demo record ({e.Message}); delete the folder's data/ to start the data over.", e);
        }
    }

    /// <summary>Writes the record into <paramref name="directory"/>.</summary>
    public void Write(string directory)
    {
        var path = PathIn(directory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }

    /// <summary>True when the demo's source data is CSV files.</summary>
    [JsonIgnore]
    public bool IsCsv => Source == "csv";
}
