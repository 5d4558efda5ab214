using System.Diagnostics;
using Npgsql;
using Sluice.Testing;

namespace Sluice.Cli.Tests;

/// <summary><c>sluice sync</c> as a user runs it: exit codes, output, and a process killed mid-sync.</summary>
public class SyncTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Sync_prints_a_summary_and_exits_0()
    {
        WriteCsvProject("id,name\n1,a\n2,b\n");

        var result = await SluiceProcess.RunAsync(_temp.Path, "sync");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"files\.items\s*│\s*csv\s*│\s*ok\s*│\s*2", result.Stdout);
        Assert.Contains("sync files.items: started", result.Stderr);
    }

    [Fact]
    public async Task A_malformed_file_exits_2_with_file_and_line()
    {
        WriteCsvProject("id,name\n1,a\n2,b,c\n");

        var result = await SluiceProcess.RunAsync(_temp.Path, "sync");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error: source 'files': data/items.csv:3: expected 2 fields, found 3", result.Stderr);
        Assert.Contains("FAILED", result.Stdout);
    }

    [Fact]
    public async Task An_unknown_source_exits_2_naming_the_sources()
    {
        WriteCsvProject("id\n1\n");

        var result = await SluiceProcess.RunAsync(_temp.Path, "sync", "--source", "nope");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--source nope: there is no such source; sluice.yml has files", result.Stderr);
    }

    [Fact]
    public async Task Table_takes_several_tables_and_an_unknown_one_exits_2_naming_the_tables()
    {
        var server = await PostgresServer.GetAsync();
        var sourceUrl = await server.CreateDatabaseAsync("tablessource");
        var source = server.ConnectionString(sourceUrl[(sourceUrl.LastIndexOf('/') + 1)..]);
        await ExecuteAsync(source, "create table a (id int primary key); create table b (id int primary key); create table c (id int primary key); insert into a values (1); insert into b values (1), (2); insert into c values (1), (2), (3);");
        File.WriteAllText(_temp.Combine("sluice.yml"), $"name: t\nsources:\n  - name: app\n    type: postgres\n    url: {sourceUrl}\n    tables: [{{name: a}}, {{name: b}}, {{name: c}}]\n");

        var both = await SluiceProcess.RunAsync(_temp.Path, "sync", "--table", "a", "c");
        var unknown = await SluiceProcess.RunAsync(_temp.Path, "sync", "-t", "b", "-t", "d");

        Assert.True(both.ExitCode == 0, both.ToString());
        Assert.Contains("sync app.a: started", both.Stderr);
        Assert.Contains("sync app.c: started", both.Stderr);
        Assert.DoesNotContain("app.b", both.Stderr + both.Stdout);
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("--table d: no selected source has such a table; the tables are app.a, app.b, app.c.", unknown.Stderr);
        var synced = await SluiceProcess.RunAsync(_temp.Path, "query", "select (select count(*) from raw.app__a) || '/' || (select count(*) from raw.app__c)", "--format", "csv");
        Assert.Contains("1/3", synced.Stdout);
    }

    [Fact]
    public async Task Reconcile_reports_the_rows_deleted_in_the_source()
    {
        var server = await PostgresServer.GetAsync();
        var sourceUrl = await server.CreateDatabaseAsync("reconcilesource");
        var source = server.ConnectionString(sourceUrl[(sourceUrl.LastIndexOf('/') + 1)..]);
        await ExecuteAsync(source, "create table items (id int primary key, updated_at timestamptz not null); insert into items select g, now() from generate_series(1, 100) g;");
        File.WriteAllText(_temp.Combine("sluice.yml"), $"name: t\nsources:\n  - name: app\n    type: postgres\n    url: {sourceUrl}\n    tables:\n      - name: items\n        cursor: updated_at\n");
        Assert.Equal(0, (await SluiceProcess.RunAsync(_temp.Path, "sync")).ExitCode);
        await ExecuteAsync(source, "delete from items where id in (3, 30, 60)");

        var result = await SluiceProcess.RunAsync(_temp.Path, "sync", "--reconcile");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("sync app.items: reconciled deletes, 3 rows newly deleted in the source", result.Stderr);
        Assert.Matches(@"app\.items\s*│\s*incremental\s*│\s*ok\s*│\s*0\s*│\s*0\s*│\s*3\s*│", result.Stdout);
    }

    [Fact]
    public async Task Parity_exits_1_listing_the_days_that_differ_and_repair_makes_it_exit_0()
    {
        var server = await PostgresServer.GetAsync();
        var sourceUrl = await server.CreateDatabaseAsync("paritysource");
        var source = server.ConnectionString(sourceUrl[(sourceUrl.LastIndexOf('/') + 1)..]);
        await ExecuteAsync(source, "create table items (id int primary key, made_on date not null, updated_at timestamptz not null); insert into items select g, date '2024-05-01' + g % 10, now() from generate_series(1, 200) g;");
        File.WriteAllText(_temp.Combine("sluice.yml"), $"name: t\nsources:\n  - name: app\n    type: postgres\n    url: {sourceUrl}\n    tables:\n      - name: items\n        cursor: updated_at\n        parity: {{date_column: made_on}}\n");
        var synced = await SluiceProcess.RunAsync(_temp.Path, "sync");
        Assert.True(synced.ExitCode == 0, synced.ToString());
        Assert.Contains("parity app.items: ok, 200 rows in the source, 200 in the warehouse, 0 of 10 days differ", synced.Stderr);
        Assert.Matches(@"app\.items\s*│.*│\s*ok\s*│", synced.Stdout);
        var damage = await SluiceProcess.RunAsync(_temp.Path, "query", "delete from raw.app__items where id in (3, 13)");
        Assert.True(damage.ExitCode == 0, damage.ToString());

        var check = await SluiceProcess.RunAsync(_temp.Path, "parity");

        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Matches(@"app\.items\s*│\s*10\s*│\s*200\s*│\s*198\s*│\s*1\s*│\s*1 day\(s\) differ", check.Stdout);
        Assert.Matches(@"app\.items\s*│\s*2024-05-04\s*│\s*20\s*│\s*18\s*│\s*2\s*│\s*differ", check.Stdout);
        Assert.Contains("run `sluice parity --repair`", check.Stderr);

        var repair = await SluiceProcess.RunAsync(_temp.Path, "parity", "--repair");
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Contains("repairing 1 day(s) that differ from the source: 2024-05-04", repair.Stderr);
        Assert.Equal(0, (await SluiceProcess.RunAsync(_temp.Path, "parity")).ExitCode);
    }

    [Fact]
    public async Task An_unreachable_source_exits_1_without_the_password()
    {
        File.WriteAllText(_temp.Combine("sluice.yml"), "name: t\nsources:\n  - name: app\n    type: postgres\n    url: postgres://u:s3cret@127.0.0.1:1/app\n    tables: [emails]\n");

        var result = await SluiceProcess.RunAsync(_temp.Path, "sync", "--retries", "0");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("127.0.0.1", result.Stderr);
        Assert.DoesNotContain("s3cret", result.Stderr + result.Stdout);
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    public async Task A_killed_sync_keeps_committed_batches_and_the_next_sync_converges(string warehouse)
    {
        var server = await PostgresServer.GetAsync();
        var sourceUrl = await server.CreateDatabaseAsync("killsource");
        var sourceDb = sourceUrl[(sourceUrl.LastIndexOf('/') + 1)..];
        await ExecuteAsync(server.ConnectionString(sourceDb), """
            create table emails (id bigint primary key, subject text, risk_score int, updated_at timestamptz not null);
            insert into emails select g, repeat('x', 200) || g, g % 100, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second'
            from generate_series(1, 300000) g;
            """);
        var warehouseYaml = warehouse == "duckdb"
            ? "warehouse:\n  type: duckdb\n  path: warehouse.duckdb\n"
            : $"warehouse:\n  type: postgres\n  url: {await server.CreateDatabaseAsync("killwarehouse")}\n";
        File.WriteAllText(_temp.Combine("sluice.yml"), $"""
            name: kill
            {warehouseYaml}
            sources:
              - name: app
                type: postgres
                url: {sourceUrl}
                tables:
                  - name: emails
                    primary_key: [id]
                    cursor: updated_at
                    batch_size: 20000

            """);

        // Killed (SIGKILL, no cleanup) right after its second batch commits.
        var killed = await RunUntilAsync(line => line.Contains("committed 40,000 rows", StringComparison.Ordinal));
        Assert.True(killed, "the sync finished before it could be killed mid-way");

        var query = await SluiceProcess.RunAsync(_temp.Path, "query", "select count(*) as n, max(updated_at) = (select max(watermark)::timestamptz from _sluice.sync_state) as consistent from raw.app__emails", "--format", "csv");
        Assert.True(query.ExitCode == 0, query.ToString());
        var counts = query.Stdout.Split('\n')[1].Split(',');
        Assert.True(long.Parse(counts[0], System.Globalization.CultureInfo.InvariantCulture) >= 40000, query.Stdout);
        Assert.Equal("true", counts[1]);

        var resumed = await SluiceProcess.RunAsync(_temp.Path, "sync");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var check = await SluiceProcess.RunAsync(_temp.Path, "query",
            "select count(*), count(distinct id), sum(risk_score), (select count(*) from _sluice.sync_runs where status = 'interrupted') from raw.app__emails", "--format", "csv");
        Assert.Equal($"300000,300000,{300000 / 100 * 4950},1", check.Stdout.Split('\n')[1]);
    }

    private async Task<bool> RunUntilAsync(Func<string, bool> killWhen)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _temp.Path, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(SluiceProcess.AppPath);
        start.ArgumentList.Add("sync");
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            if (killWhen(line))
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(timeout.Token);
                return true;
            }
        }

        await process.WaitForExitAsync(timeout.Token);
        return false;
    }

    private void WriteCsvProject(string csv)
    {
        Directory.CreateDirectory(_temp.Combine("data"));
        File.WriteAllText(_temp.Combine("data", "items.csv"), csv);
        File.WriteAllText(_temp.Combine("sluice.yml"), "name: t\nsources:\n  - name: files\n    type: csv\n    path: data/*.csv\n");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
