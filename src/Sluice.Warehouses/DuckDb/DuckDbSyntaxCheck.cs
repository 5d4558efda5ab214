using System.Globalization;
using System.Text.Json;
using Sluice.Core.Warehouse;
using Sluice.DuckDb;

namespace Sluice.Warehouses.DuckDb;

/// <summary>
/// DuckDB's parser, on an in-memory database of its own: the warehouse's file is not opened (a
/// file that <c>sluice serve</c> holds stays its own, and a project that has never been built
/// gets no file), and nothing is bound, so relations that do not exist yet are no error.
/// </summary>
internal sealed class DuckDbSyntaxCheck : ISqlSyntaxCheck
{
    private readonly DuckDbConnection _connection;

    private DuckDbSyntaxCheck(DuckDbConnection connection) => _connection = connection;

    public static DuckDbSyntaxCheck Open()
    {
        var connection = new DuckDbConnection(new DuckDbConnectionStringBuilder { DataSource = DuckDbConnectionStringBuilder.InMemory, Threads = 1 }.ConnectionString);
        try
        {
            connection.Open();
            return new DuckDbSyntaxCheck(connection);
        }
        catch (DuckDbException e)
        {
            connection.Dispose();
            throw DuckDbErrors.Translate(e, "starting DuckDB's parser");
        }
    }

    public async Task<SqlSyntaxError?> CheckAsync(string sql, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var statements = _connection.CountStatements(sql);
            return statements <= 1
                ? null
                : new SqlSyntaxError($"Parser Error: the SQL holds {statements} statements where one query belongs", null);
        }
        catch (DuckDbException e) when (e.ErrorType == DuckDbErrorType.Parser)
        {
            return await LocateAsync(sql, e, cancellationToken);
        }
        catch (DuckDbException e)
        {
            throw DuckDbErrors.Translate(e, "parsing SQL");
        }
    }

    // The C API gives the parser's message with the place only as a caret drawn under the
    // line; json_serialize_sql, which parses the same way, gives it as a number. Asked only
    // for SQL that failed, since it serializes the whole syntax tree of SQL that parses.
    private async Task<SqlSyntaxError> LocateAsync(string sql, DuckDbException error, CancellationToken cancellationToken)
    {
        string json;
        await using (var command = _connection.CreateCommand())
        {
            command.CommandText = "select json_serialize_sql($1::varchar)";
            command.Parameters.Add(new DuckDbParameter { Value = sql });
            try
            {
                json = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
            }
            catch (DuckDbException e)
            {
                throw DuckDbErrors.Translate(e, "parsing SQL");
            }
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("error_type", out var type) || type.GetString() != "parser")
        {
            var newline = error.Message.IndexOf('\n', StringComparison.Ordinal);
            return new SqlSyntaxError((newline < 0 ? error.Message : error.Message[..newline]).TrimEnd(), null);
        }

        var message = $"Parser Error: {root.GetProperty("error_message").GetString()}";
        int? offset = root.TryGetProperty("position", out var position)
            && int.TryParse(position.ValueKind == JsonValueKind.String ? position.GetString() : position.GetRawText(), NumberStyles.None, CultureInfo.InvariantCulture, out var codePoints)
            ? SqlSyntaxError.IndexOfCodePoint(sql, codePoints)
            : null;
        return new SqlSyntaxError(message, offset);
    }

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
