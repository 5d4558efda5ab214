using System.Data;
using Npgsql;
using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.Postgres;

/// <summary>
/// The server's parser, asked with a Parse message that is never followed by an Execute: the
/// SQL is read, and its names resolved, but nothing runs. Only syntax errors (SQLSTATE 42601)
/// count; a relation that is not built yet (42P01) or any other error of meaning is left for
/// the run to report.
/// </summary>
internal sealed class PostgresSyntaxCheck(NpgsqlConnection connection) : ISqlSyntaxCheck
{
    public async Task<SqlSyntaxError?> CheckAsync(string sql, CancellationToken cancellationToken = default)
    {
        // An unused positional parameter puts Npgsql in raw mode: the text goes to the server
        // whole, as one statement, instead of being split at its semicolons. So the server's
        // positions are positions in this text, and a second statement is the server's syntax
        // error rather than a second query. SchemaOnly sends Parse and Describe, never Execute.
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = 0 });
        try
        {
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken);
            return null;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.SyntaxError)
        {
            var offset = e.Position > 0 ? SqlSyntaxError.IndexOfCodePoint(sql, e.Position - 1) : (int?)null;
            return new SqlSyntaxError($"{e.Severity} {e.SqlState}: {e.MessageText}", offset);
        }
        catch (PostgresException)
        {
            return null;
        }
        catch (NpgsqlException e)
        {
            throw PostgresErrors.Translate(e, "parsing SQL");
        }
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
