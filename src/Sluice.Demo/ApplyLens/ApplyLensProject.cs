namespace Sluice.Demo.ApplyLens;

/// <summary>
/// The ApplyLens example project (examples/applylens), carried inside the tool so that
/// <c>sluice demo</c> can write it into any folder: as it is, reading the product's PostgreSQL
/// database, or with its sources switched to the CSV files the demo generates.
/// </summary>
public static class ApplyLensProject
{
    /// <summary>The folder, inside the project, of the generated CSV files.</summary>
    public const string DataFolder = ExampleProject.DataFolder;

    /// <summary>The environment variable the PostgreSQL source's URL is read from.</summary>
    public const string SourceUrlVariable = "APPLYLENS_SOURCE_URL";

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

    /// <summary>The example.</summary>
    public static ExampleProject Example { get; } = new("applylens", CsvSources);

    /// <summary>The project's files, by path relative to its folder (with '/').</summary>
    public static IReadOnlyDictionary<string, string> Files() => Example.Files();

    /// <summary>
    /// Writes the project into <paramref name="directory"/>, reading its sources from CSV files
    /// under <see cref="DataFolder"/> when <paramref name="csv"/> is true. Files that exist are
    /// kept as they are; returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, bool csv) => Example.Write(directory, csv);

    /// <summary>Replaces the <c>sources:</c> section of a sluice.yml text (and the comment above it) with the CSV sources.</summary>
    public static string WithCsvSources(string sluiceYml) => Example.WithCsvSources(sluiceYml);
}
