using System.Text;

namespace Sluice.Demo.Aivo;

/// <summary>The AIVO example project (examples/aivo), carried inside the tool so that <c>sluice demo aivo</c> can write it anywhere.</summary>
public static class AivoProject
{
    /// <summary>The environment variable the PostgreSQL source's URL is read from.</summary>
    public const string SourceUrlVariable = "AIVO_OLTP_URL";

    /// <summary>The example, whose CSV sources read the files <see cref="AivoCsv"/> writes.</summary>
    public static ExampleProject Example { get; } = new("aivo", CsvSources());

    // The same twelve tables, read from the generated files: a dimension from one file of its
    // current rows, an event table from a file per day, compared per day with the warehouse.
    private static string CsvSources()
    {
        var text = new StringBuilder("sources:\n  - name: oltp\n    type: csv\n    tables:\n");
        foreach (var table in AivoTables.All)
        {
            text.Append($"      - name: {table.Name}\n");
            text.Append($"        path: {AivoCsv.Pattern(table, ExampleProject.DataFolder)}\n");
            text.Append($"        columns: {{{string.Join(", ", table.Columns.Select(c => $"{c.Name}: {c.Type}"))}}}\n");
            text.Append($"        primary_key: [{table.Columns[0].Name}]\n");
            if (table.DayColumn is { } day)
            {
                text.Append($"        parity: {{date_column: {day}}}\n");
            }
        }

        return text.Append('\n').ToString();
    }
}
