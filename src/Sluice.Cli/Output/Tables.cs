using System.Globalization;
using Spectre.Console;

namespace Sluice.Cli.Output;

/// <summary>The report tables the verbs print: columns with their alignment, and counts as people read them.</summary>
internal static class Tables
{
    /// <summary>A table with these columns; numbers are aligned right.</summary>
    public static Table Create(params (string Header, bool Right)[] columns)
    {
        var table = new Table();
        foreach (var (header, right) in columns)
        {
            table.AddColumn(new TableColumn(header) { Alignment = right ? Justify.Right : Justify.Left });
        }

        return table;
    }

    /// <summary>A count with thousands separators: 1,234,567.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
