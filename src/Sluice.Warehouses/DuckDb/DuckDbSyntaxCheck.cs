using System.Globalization;
using System.Text.Json;
using Sluice.Core.Warehouse;
using Sluice.DuckDb;

namespace Sluice.Warehouses.DuckDb;

/// <summary>
/// DuckDB's parser, reached through <c>json_serialize_sql</c> in an in-memory database of its
/// own: the warehouse's file is not opened (a file that <c>sluice serve</c> holds stays its
/// own, and a project that has never been built gets no file), and nothing is bound, so
/// relations that do not exist yet are no error.
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
        if (!root.GetProperty("error").GetBoolean())
        {
            return OneStatement(root.GetProperty("statements").GetArrayLength());
        }

        // Statements that the JSON form cannot hold (PIVOT, DDL) come back as "not implemented"
        // after they parsed, uncounted; only the parser's own errors are syntax errors.
        if (root.GetProperty("error_type").GetString() != "parser")
        {
            try
            {
                return OneStatement(_connection.CountStatements(sql));
            }
            catch (DuckDbException e)
            {
                throw DuckDbErrors.Translate(e, "parsing SQL");
            }
        }

        var message = $"Parser Error: {root.GetProperty("error_message").GetString()}";
        int? offset = root.TryGetProperty("position", out var position)
            && int.TryParse(position.ValueKind == JsonValueKind.String ? position.GetString() : position.GetRawText(), NumberStyles.None, CultureInfo.InvariantCulture, out var codePoints)
            ? SqlSyntaxError.IndexOfCodePoint(sql, codePoints)
            : null;
        return new SqlSyntaxError(message, offset);
    }

    private static SqlSyntaxError? OneStatement(int statements) => statements <= 1
        ? null
        : new SqlSyntaxError($"Parser Error: the SQL holds {statements} statements where one query belongs", null);

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
