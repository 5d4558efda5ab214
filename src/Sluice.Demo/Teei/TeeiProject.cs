using System.Text;

namespace Sluice.Demo.Teei;

/// <summary>The TEEI example project (examples/teei), carried inside the tool so that <c>sluice demo teei</c> can write it anywhere.</summary>
public static class TeeiProject
{
    /// <summary>The environment variable the PostgreSQL source's URL is read from.</summary>
    public const string SourceUrlVariable = "TEEI_DATABASE_URL";

    /// <summary>The example, whose CSV sources read the files <see cref="TeeiCsv"/> writes.</summary>
    public static ExampleProject Example { get; } = new("teei", CsvSources());

    // The same four tables, read from the generated files: companies and users from one file of
    // their current rows, enrollments and scores from a file per day, compared per day with the warehouse.
    private static string CsvSources()
    {
        var text = new StringBuilder("sources:\n  - name: platform\n    type: csv\n    tables:\n");
        foreach (var table in TeeiTables.All)
        {
            text.Append($"      - name: {table.Name}\n");
            text.Append($"        path: {TeeiCsv.Pattern(table, ExampleProject.DataFolder)}\n");
            text.Append($"        columns: {{{string.Join(", ", table.Columns.Select(c => $"{c.Name}: {Yaml(c.Type)}"))}}}\n");
            text.Append($"        primary_key: [{table.Columns[0].Name}]\n");
            if (table.DayColumn is { } day)
            {
                text.Append($"        parity: {{date_column: {day}}}\n");
            }
        }

        return text.Append('\n').ToString();
    }

    // decimal(4,3) holds a comma, which a YAML flow mapping would split on.
    private static string Yaml(string type) => type.Contains(',', StringComparison.Ordinal) ? $"\"{type}\"" : type;
}
