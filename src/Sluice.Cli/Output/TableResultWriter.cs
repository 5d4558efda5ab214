using Spectre.Console;
using Spectre.Console.Rendering;
using Sluice.Warehouses.Values;

namespace Sluice.Cli.Output;

/// <summary>
/// <c>--format table</c>: an aligned table for people, numbers right-aligned, NULL shown as such.
/// The table is sized from all its rows, so it is held in memory until the end; the query verb
/// caps it with a default limit.
/// </summary>
internal sealed class TableResultWriter : ResultWriter
{
    private static readonly Style NullStyle = new(decoration: Decoration.Dim);

    private readonly IAnsiConsole _console;
    private readonly Table _table = new();

    public TableResultWriter(TextWriter output, bool isTerminal) => _console = Consoles.For(output, isTerminal);

    public override Task WriteRowsAffectedAsync(int rowsAffected, CancellationToken cancellationToken)
    {
        _console.WriteLine(rowsAffected switch
        {
            < 0 => "OK",
            1 => "1 row affected",
            _ => $"{rowsAffected} rows affected",
        });
        return Task.CompletedTask;
    }

    protected override Task BeginAsync(IReadOnlyList<ResultColumn> columns, CancellationToken cancellationToken)
    {
        foreach (var column in columns)
        {
            _table.AddColumn(new TableColumn(new Text(column.Name, new Style(decoration: Decoration.Bold)))
            {
                Alignment = column.IsNumeric ? Justify.Right : Justify.Left,
            });
        }

        return Task.CompletedTask;
    }

    protected override Task WriteRowAsync(object?[] values, CancellationToken cancellationToken)
    {
        var cells = new IRenderable[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            // Text, never markup: a value such as "[red]" must print as written.
            cells[i] = values[i] is null ? new Text("NULL", NullStyle) : new Text(ValueText.Format(values[i]));
        }

        _table.AddRow(cells);
        return Task.CompletedTask;
    }

    protected override Task EndAsync(CancellationToken cancellationToken)
    {
        _console.Write(_table);
        return Task.CompletedTask;
    }
}
