using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Sluice.Testing;

namespace Sluice.Bench;

/// <summary>
/// The source database: tables shaped like the reference pipelines' <c>emails</c> table, with an
/// index on the cursor column as an application that syncs by <c>updated_at</c> would have.
/// </summary>
internal sealed class BenchSource(PostgresServer server, string url)
{
    public string Url => url;

    public string Database => url[(url.LastIndexOf('/') + 1)..];

    public static async Task<BenchSource> CreateAsync(PostgresServer server) => new(server, await server.CreateDatabaseAsync("syncbench"));

    public async Task CreateTableAsync(string name, long rows)
    {
        var clock = Stopwatch.StartNew();
        await ExecuteAsync($"""
            create table {name} (
                id bigint primary key, received_at timestamptz not null, sender text, subject text, risk_score int,
                category text, expires_at timestamptz, features_json jsonb, updated_at timestamptz not null);
            insert into {name}
            select g,
                   timestamptz '2024-01-01 00:00:00+00' + g * interval '13 seconds',
                   'sender' || (g % 5000) || '@example.com',
                   'Subject line ' || g || ' about invoices and delivery',
                   (g * 7919) % 100,
                   (array['spam', 'phish', 'ok', 'promo'])[1 + g % 4],
                   case when g % 5 = 0 then null else timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute' end,
                   jsonb_build_object('links', g % 7, 'attachments', g % 3, 'score', ((g * 31) % 1000) / 10.0, 'lang', 'en'),
                   timestamptz '2024-06-01 00:00:00+00' + g * interval '1 second'
            from generate_series(1::bigint, {rows.ToString(CultureInfo.InvariantCulture)}) g;
            create index on {name} (updated_at);
            """);
        await ExecuteAsync($"vacuum analyze {name}");
        Console.WriteLine($"    source table {name}: {Format.Count(rows)} rows in {Format.Seconds(clock.Elapsed)}");
    }

    /// <summary>The warehouse section of sluice.yml: a DuckDB file in the project, or a fresh database on the bench's server.</summary>
    public async Task<string> WarehouseYamlAsync(string warehouse, string? memoryLimit = null) => warehouse == "duckdb"
        ? "warehouse:\n  type: duckdb\n  path: warehouse.duckdb\n" + (memoryLimit is null ? "" : $"  memory_limit: {memoryLimit}\n")
        : $"warehouse:\n  type: postgres\n  url: {await server.CreateDatabaseAsync("syncbenchwarehouse")}\n";

    /// <summary>Writes sluice.yml syncing <paramref name="table"/> by its updated_at cursor; <paramref name="parity"/> is the table's parity setting.</summary>
    public void WriteProject(string directory, string warehouseYaml, string table, string parity) =>
        File.WriteAllText(Path.Combine(directory, "sluice.yml"), $"""
            name: syncbench
            {warehouseYaml.TrimEnd()}
            sources:
              - name: app
                type: postgres
                url: {url}
                tables:
                  - name: {table}
                    primary_key: [id]
                    cursor: updated_at
                    parity: {parity}

            """);

    /// <summary>Changes 1 % of the rows (a different slice for each <paramref name="round"/>) as an application would.</summary>
    public Task<int> ChangeOnePercentAsync(string table, int round) =>
        ExecuteAsync($"update {table} set subject = subject || ' (edited)', risk_score = risk_score + 1, updated_at = clock_timestamp() where id % 100 = {round % 100}");

    public async Task<string> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString(Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "NULL";
    }

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString(Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return await command.ExecuteNonQueryAsync();
    }
}
