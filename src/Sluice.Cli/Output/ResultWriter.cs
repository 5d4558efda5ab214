using System.Data.Common;

namespace Sluice.Cli.Output;

/// <summary>
/// Prints a query's rows in one format. Rows stream from the reader to the output, except for
/// the table format, which must see every row to size its columns.
/// </summary>
internal abstract class ResultWriter
{
    /// <summary>The formats <c>--format</c> accepts.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["table", "csv", "json"];

    /// <summary>
    /// A writer for <paramref name="format"/>: machine formats write bytes to <paramref name="stream"/>,
    /// the table renders through <paramref name="text"/>. CSV lines end with CRLF when <paramref name="crlf"/>.
    /// </summary>
    public static ResultWriter Create(string format, Stream stream, TextWriter text, bool isTerminal, bool crlf = false) => format switch
    {
        "csv" => new CsvResultWriter(stream, crlf),
        "json" => new JsonResultWriter(stream),
        _ => new TableResultWriter(text, isTerminal),
    };

    /// <summary>
    /// Writes up to <paramref name="limit"/> rows (all when null) and reports how many were
    /// written and whether the result had more.
    /// </summary>
    public async Task<ResultSummary> WriteAsync(DbDataReader reader, int? limit, CancellationToken cancellationToken)
    {
        var columns = new ResultColumn[reader.FieldCount];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new ResultColumn(reader.GetName(i), reader.GetFieldType(i));
        }

        await BeginAsync(columns, cancellationToken);
        var values = new object?[columns.Length];
        var rows = 0;
        while ((limit is null || rows < limit) && await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            await WriteRowAsync(values, cancellationToken);
            rows++;
        }

        // One row past the limit answers "was there more?" without counting the whole result.
        var truncated = limit is not null && rows == limit && await reader.ReadAsync(cancellationToken);
        await EndAsync(cancellationToken);
        return new ResultSummary(rows, truncated);
    }

    /// <summary>Reports a statement that returned no rows, such as an insert.</summary>
    /// <param name="rowsAffected">Rows changed, or -1 when the statement does not count rows (DDL).</param>
    /// <param name="cancellationToken">Stops the write.</param>
    public abstract Task WriteRowsAffectedAsync(int rowsAffected, CancellationToken cancellationToken);

    protected abstract Task BeginAsync(IReadOnlyList<ResultColumn> columns, CancellationToken cancellationToken);

    /// <summary>Writes one row; <paramref name="values"/> is reused for the next one.</summary>
    protected abstract Task WriteRowAsync(object?[] values, CancellationToken cancellationToken);

    protected abstract Task EndAsync(CancellationToken cancellationToken);
}
