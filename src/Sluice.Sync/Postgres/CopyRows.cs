using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading.Channels;
using Npgsql;
using Sluice.Core.Project;

namespace Sluice.Sync.Postgres;

/// <summary>
/// Rows streaming out of <c>COPY (SELECT …) TO STDOUT (FORMAT BINARY)</c>, one array per row
/// with <c>extraSlots</c> free places at the end for the sync's own columns. A reader task
/// decodes rows ahead of the consumer, in chunks through a bounded channel, so that reading the
/// source and writing the warehouse overlap on two cores; memory stays bounded by those chunks
/// plus Npgsql's buffer however large the table.
/// </summary>
public sealed class CopyRows : IAsyncDisposable
{
    private const int ChunkRows = 1024;
    private const int ChunksAhead = 8;

    private readonly PostgresSource _source;
    private readonly SourceTable _table;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlBinaryExporter _exporter;
    private readonly int _extraSlots;
    private readonly Channel<object?[][]> _chunks = Channel.CreateBounded<object?[][]>(
        new BoundedChannelOptions(ChunksAhead) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;
    private Exception? _failure;
    private object?[][]? _chunk;
    private int _next;
    private long _rows;
    private long _bytes;

    private CopyRows(PostgresSource source, SourceTable table, NpgsqlConnection connection, NpgsqlBinaryExporter exporter, int extraSlots)
    {
        _source = source;
        _table = table;
        _connection = connection;
        _exporter = exporter;
        _extraSlots = extraSlots;
    }

    /// <summary>Rows read from the source so far.</summary>
    public long Rows => Volatile.Read(ref _rows);

    /// <summary>Bytes of values read so far (text counted in UTF-8).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

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
            var rows = new CopyRows(source, table, connection, exporter, extraSlots);
            rows._reader = Task.Run(rows.ReadAheadAsync, CancellationToken.None);
            return rows;
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
        while (_chunk is null || _next == _chunk.Length)
        {
            if (!await _chunks.Reader.WaitToReadAsync(cancellationToken))
            {
                if (_failure is not null)
                {
                    ExceptionDispatchInfo.Throw(_failure);
                }

                return null;
            }

            _chunks.Reader.TryRead(out _chunk);
            _next = 0;
        }

        return _chunk[_next++];
    }

    private async Task ReadAheadAsync()
    {
        try
        {
            var chunk = new List<object?[]>(ChunkRows);
            while (await ReadRowAsync(_stop.Token) is { } row)
            {
                chunk.Add(row);
                if (chunk.Count == ChunkRows)
                {
                    await _chunks.Writer.WriteAsync([.. chunk], _stop.Token);
                    chunk.Clear();
                }
            }

            if (chunk.Count > 0)
            {
                await _chunks.Writer.WriteAsync([.. chunk], _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The consumer is done with the rows.
        }
        catch (Exception e)
        {
            _failure = e;
        }
        finally
        {
            _chunks.Writer.TryComplete();
        }
    }

    private async ValueTask<object?[]?> ReadRowAsync(CancellationToken cancellationToken)
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

            Interlocked.Increment(ref _rows);
            Interlocked.Add(ref _bytes, bytes);
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
        await _stop.CancelAsync();
        if (_reader is not null)
        {
            await _reader;
        }

        _stop.Dispose();
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
