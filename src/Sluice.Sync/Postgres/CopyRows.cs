using System.Text;
using Npgsql;
using Sluice.Core.Project;

namespace Sluice.Sync.Postgres;

/// <summary>
/// Rows streaming out of <c>COPY (SELECT …) TO STDOUT (FORMAT BINARY)</c>, one array per row
/// with <c>extraSlots</c> free places at the end for the sync's own columns. Memory stays
/// bounded by one row plus Npgsql's buffer however large the table.
/// </summary>
public sealed class CopyRows : IAsyncDisposable
{
    private readonly PostgresSource _source;
    private readonly SourceTable _table;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlBinaryExporter _exporter;
    private readonly int _extraSlots;

    private CopyRows(PostgresSource source, SourceTable table, NpgsqlConnection connection, NpgsqlBinaryExporter exporter, int extraSlots)
    {
        _source = source;
        _table = table;
        _connection = connection;
        _exporter = exporter;
        _extraSlots = extraSlots;
    }

    /// <summary>Rows read so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Bytes of values read so far (text counted in UTF-8).</summary>
    public long Bytes { get; private set; }

    /// <summary>The COPY statement for the table's columns, with an optional filter and order.</summary>
    public static string Statement(SourceTable table, string? where, string? orderBy)
    {
        var sql = new StringBuilder("copy (select ");
        sql.AppendJoin(", ", table.Columns.Select(c => c.Expression));
        sql.Append(" from ").Append(table.QuotedName);
        if (where is not null)
        {
            sql.Append(" where ").Append(where);
        }

        if (orderBy is not null)
        {
            sql.Append(" order by ").Append(orderBy);
        }

        return sql.Append(") to stdout (format binary)").ToString();
    }

    /// <summary>Starts the COPY on a connection of its own.</summary>
    public static async Task<CopyRows> StartAsync(PostgresSource source, SourceTable table, string? where, string? orderBy, int extraSlots, CancellationToken cancellationToken)
    {
        var connection = await source.OpenAsync(cancellationToken);
        try
        {
            var exporter = await connection.BeginBinaryExportAsync(Statement(table, where, orderBy), cancellationToken);
            return new CopyRows(source, table, connection, exporter, extraSlots);
        }
        catch (NpgsqlException e)
        {
            await connection.DisposeAsync();
            throw source.Translate(e, $"starting to copy {table.QualifiedName}");
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The next row, or null at the end.</summary>
    public async ValueTask<object?[]?> ReadAsync(CancellationToken cancellationToken)
    {
        var columns = _table.Columns;
        try
        {
            if (await _exporter.StartRowAsync(cancellationToken) < 0)
            {
                return null;
            }

            var row = new object?[columns.Count + _extraSlots];
            long bytes = 0;
            for (var i = 0; i < columns.Count; i++)
            {
                if (_exporter.IsNull)
                {
                    await _exporter.SkipAsync(cancellationToken);
                    continue;
                }

                var value = ReadValue(columns[i]);
                row[i] = value;
                bytes += value switch
                {
                    string s => Encoding.UTF8.GetByteCount(s),
                    byte[] b => b.Length,
                    decimal => 16,
                    Guid => 16,
                    long or double or DateTime or TimeOnly => 8,
                    int or float or DateOnly => 4,
                    short => 2,
                    bool => 1,
                    _ => 16,
                };
            }

            Rows++;
            Bytes += bytes;
            return row;
        }
        catch (NpgsqlException e)
        {
            throw _source.Translate(e, $"copying {_table.QualifiedName} (after {Rows:N0} rows)");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            // Disposing an unfinished export cancels the COPY on the server.
            await _exporter.DisposeAsync();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            // The connection is gone already; there is nothing left to stop.
        }

        await _connection.DisposeAsync();
    }

    private object ReadValue(SourceColumn column)
    {
        try
        {
            return column.Read(_exporter);
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or ArgumentOutOfRangeException)
        {
            throw new SourceException(
                $"source '{_source.Definition.Name}': {_table.QualifiedName}.{column.Name} ({column.SourceType}) has a value Sluice cannot read in row {Rows + 1:N0}: {e.Message.TrimEnd('.')}; exclude the column (`columns: {{exclude: [{column.Name}]}}`) or cast it in a view.",
                e)
            {
                IsUserFault = true,
            };
        }
    }
}
