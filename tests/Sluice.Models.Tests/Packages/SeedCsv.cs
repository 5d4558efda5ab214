using System.Text;

namespace Sluice.Models.Tests.Packages;

/// <summary>A test project's seed file read as text, so that tests compute expected values from the same rows the warehouse loaded.</summary>
internal static class SeedCsv
{
    /// <summary>The rows of seeds/<paramref name="seed"/>.csv below <paramref name="projectDirectory"/>, header left out; an empty field is null, as the seed loader reads it.</summary>
    public static List<string?[]> Rows(string projectDirectory, string seed) =>
        [.. File.ReadLines(Path.Combine(projectDirectory, "seeds", seed + ".csv")).Skip(1).Where(l => l.Length > 0).Select(Fields)];

    // Quoted fields may hold commas; the test seeds hold no quotes inside quoted fields.
    private static string?[] Fields(string line)
    {
        var fields = new List<string?>();
        var field = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.Length == 0 ? null : field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.Length == 0 ? null : field.ToString());
        return [.. fields];
    }
}
