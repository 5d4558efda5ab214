using System.Text.RegularExpressions;

namespace Sluice.Demo.ApplyLens;

/// <summary>
/// The ApplyLens example project (examples/applylens), carried inside the tool so that
/// <c>sluice demo</c> can write it into any folder: as it is, reading the product's PostgreSQL
/// database, or with its sources switched to the CSV files the demo generates.
/// </summary>
public static partial class ApplyLensProject
{
    /// <summary>The folder, inside the project, of the generated CSV files.</summary>
    public const string DataFolder = "data";

    /// <summary>The environment variable the PostgreSQL source's URL is read from.</summary>
    public const string SourceUrlVariable = "APPLYLENS_SOURCE_URL";

    private const string Prefix = "applylens/";

    // The same tables, read from the files ApplyLensCsv writes.
    private const string CsvSources = """
        sources:
          - name: app
            type: csv
            tables:
              - name: emails
                path: data/emails_*.csv
                columns: {id: bigint, received_at: timestamp, sender: text, subject: text, risk_score: double, category: text, expires_at: timestamp, features_json: text, updated_at: timestamp}
                primary_key: [id]
                parity: {date_column: received_at}   # the files against the warehouse, per day
              - name: applications
                path: data/applications_*.csv
                columns: {id: bigint, company: text, role: text, source: text, created_at: timestamp, status: text, updated_at: timestamp}
                primary_key: [id]
                parity: {date_column: created_at}

        """;

    /// <summary>The project's files, by path relative to its folder (with '/').</summary>
    public static IReadOnlyDictionary<string, string> Files()
    {
        var assembly = typeof(ApplyLensProject).Assembly;
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            files[name[Prefix.Length..].Replace('\\', '/')] = reader.ReadToEnd();
        }

        return files;
    }

    /// <summary>
    /// Writes the project into <paramref name="directory"/>, reading its sources from CSV files
    /// under <see cref="DataFolder"/> when <paramref name="csv"/> is true. Files that exist are
    /// kept as they are; returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, bool csv)
    {
        var written = new List<string>();
        foreach (var (path, text) in Files())
        {
            var target = Path.Combine(directory, path);
            if (File.Exists(target))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, path == "sluice.yml" && csv ? WithCsvSources(text) : text);
            written.Add(path);
        }

        return written;
    }

    /// <summary>Replaces the <c>sources:</c> section of a sluice.yml text (and the comment above it) with the CSV sources.</summary>
    public static string WithCsvSources(string sluiceYml)
    {
        var match = SourcesSection().Match(sluiceYml);
        if (!match.Success)
        {
            throw new InvalidOperationException("The example's sluice.yml has no sources section.");
        }

        return string.Concat(sluiceYml.AsSpan(0, match.Index), "# The product's tables, as the CSV files `sluice demo` generates under data/.\n", CsvSources, sluiceYml.AsSpan(match.Index + match.Length));
    }

    // From the comment lines right above `sources:` to the next top-level key or comment.
    [GeneratedRegex(@"(^#[^\n]*\n)*^sources:\n(^([ \t][^\n]*)?\n)*", RegexOptions.Multiline)]
    private static partial Regex SourcesSection();
}
