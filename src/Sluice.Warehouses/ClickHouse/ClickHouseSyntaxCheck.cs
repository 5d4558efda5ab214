using System.Text;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// Asks the server to parse a query without reading data: servers before 20.x have no EXPLAIN,
/// so the query is sent read-only inside <c>select * from (…) limit 0</c>. Only the parser's
/// verdict counts; an error about names, types or functions means the grammar was accepted.
/// </summary>
internal sealed class ClickHouseSyntaxCheck(ClickHouseHttp http) : ISqlSyntaxCheck
{
    private const string Prefix = "select * from (\n";

    private static readonly IReadOnlyDictionary<string, string> ReadOnly = new Dictionary<string, string> { ["readonly"] = "2" };

    public async Task<SqlSyntaxError?> CheckAsync(string sql, CancellationToken cancellationToken = default)
    {
        // Checked as it will run: with the shared dialect's words spelled the ClickHouse way. Where
        // a word before the error was respelled, the place is counted in the respelled text.
        var translated = ClickHouseSql.Translate(sql);
        try
        {
            using var response = await http.SendAsync($"{Prefix}{translated}\n) limit 0", null, null, ReadOnly, null, cancellationToken);
            await response.Content.CopyToAsync(Stream.Null, cancellationToken);
            return null;
        }
        catch (WarehouseException e) when (e.IsSyntaxError)
        {
            // The server counts bytes of UTF-8 from 1; the string index counts UTF-16 units from 0.
            var position = ClickHouseErrors.Position(e.Message);
            var sent = Encoding.UTF8.GetBytes($"{Prefix}{translated}");
            int? offset = position is { } p && p - 1 >= Prefix.Length
                ? Math.Min(Encoding.UTF8.GetCharCount(sent, 0, Math.Min(p - 1, sent.Length)) - Prefix.Length, sql.Length)
                : null;
            return new SqlSyntaxError(e.Message, offset);
        }
        catch (WarehouseException e) when (!e.IsConnectionFailure && !e.IsLoginRefused)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
