using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Sluice.Core.Project;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Cli.Tests;

/// <summary>
/// `sluice export` through the real CLI: files, ids, summary, exit codes, a kill -9 in the middle
/// of an export, PostgreSQL, and a served DuckDB file. Expected values come from SQL the tests run
/// on the seed's rows, never from the models' output.
/// </summary>
public sealed class ExportCommandTests : IDisposable
{
    // Rows of the big model in the kill test: enough that writing them takes far longer than
    // the kill takes to land.
    private const int BigRows = 1_000_000;

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Export_writes_a_file_per_model_with_ids_from_the_keys_and_values_of_the_source_rows()
    {
        var project = await DuckDbProjectAsync();

        var export = await SluiceProcess.RunAsync(project, "export", "--select", "path:models/marts", "--out", "exports");

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal(string.Empty, export.Stdout);
        Assert.Contains($"Exporting 2 model(s) from duckdb", export.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+1/2\s+OK\s+marts\.daily_sales\s+15 rows\s+daily_sales\.jsonl", export.Stderr);
        Assert.Contains($"Done in ", export.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 exported (1,015 rows), 0 failed; summary in ", export.Stderr, StringComparison.Ordinal);
        var exports = Path.Combine(project, "exports");
        Assert.Equal(
            [".sluice-export.lock", "daily_sales.jsonl", "events_big.jsonl", "export-summary.json"],
            Directory.EnumerateFiles(exports).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // The expected rows, from the seed by SQL of the test's own.
        var expected = await QueryAsync(project, """
            select cast(cast(sold_at as date) as varchar) || '|' || tenant as id, count(*) as orders, sum(cast(amount as decimal(12, 2))) as revenue
            from {{ ref('sales') }}
            group by cast(sold_at as date), tenant
            order by 1
            """);
        var lines = File.ReadAllLines(Path.Combine(exports, "daily_sales.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(
            expected,
            lines.Select(l => $"{l.GetProperty("_id").GetString()},{l.GetProperty("orders").GetInt64()},{l.GetProperty("revenue").GetDecimal().ToString(CultureInfo.InvariantCulture)}"));
        Assert.All(lines, l => Assert.Equal(l.GetProperty("_id").GetString(), $"{l.GetProperty("d").GetString()}|{l.GetProperty("tenant").GetString()}"));

        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(exports, "export-summary.json")));
        var models = summary.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal([("daily_sales", 15L), ("events_big", 1000L)], models.Select(m => (m.GetProperty("model").GetString(), m.GetProperty("rows").GetInt64())));
        Assert.Equal((2, 0, 1015L), (summary.RootElement.GetProperty("exported").GetInt32(), summary.RootElement.GetProperty("failed").GetInt32(), summary.RootElement.GetProperty("total_rows").GetInt64()));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    public async Task Two_exports_of_the_same_selection_are_byte_identical(string format)
    {
        var project = await DuckDbProjectAsync();

        var first = await SluiceProcess.RunAsync(project, "export", "-s", "daily_sales", "events_big", "--format", format, "--out", "one", "--from", "2025-01-02", "--to", "2025-01-04");
        var second = await SluiceProcess.RunAsync(project, "export", "-s", "daily_sales", "events_big", "--format", format, "--out", "two", "--from", "2025-01-02", "--to", "2025-01-04");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("note: model 'events_big' is not partitioned, so --from/--to do not apply to it; all its rows are exported.", first.Stderr, StringComparison.Ordinal);
        foreach (var model in new[] { "daily_sales", "events_big" })
        {
            var file = $"{model}.{format}";
            Assert.True(
                File.ReadAllBytes(Path.Combine(project, "one", file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(project, "two", file))),
                $"{file} differs between two exports");
        }

        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(project, "one", "export-summary.json")));
        Assert.Equal([9L, 1000L], summary.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("rows").GetInt64()));
    }

    [Fact]
    public async Task A_kill_9_in_the_middle_of_an_export_leaves_the_previous_files_as_they_were()
    {
        var project = await DuckDbProjectAsync(bigRows: BigRows, salt: "a");
        var exports = Path.Combine(project, "exports");
        var complete = await SluiceProcess.RunAsync(project, "export", "-s", "path:models/marts", "--out", "exports");
        Assert.True(complete.ExitCode == 0, complete.ToString());
        var before = Directory.EnumerateFiles(exports).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

        // New rows for the big model, so that a file replaced by the killed export would show.
        var rebuild = await SluiceProcess.RunAsync(project, "run", "-s", "events_big", "--vars", $"{{rows: {BigRows}, salt: b}}");
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());

        using var process = Start(project, "export", "-s", "path:models/marts", "--out", "exports");
        var output = process.StandardError.ReadToEndAsync();
        var temp = await WaitForAsync(
            () => Directory.EnumerateFiles(exports, ".events_big.jsonl.*.tmp").FirstOrDefault(f => Length(f) >= 1 << 20),
            process,
            output,
            "a megabyte in the big model's temp file");

        // Killed inside the big model's file: a megabyte is written, and far from all of it.
        process.Kill();
        await process.WaitForExitAsync().WaitAsync(Deadline);
        Assert.True(process.ExitCode == 137, $"exit code {process.ExitCode}, not that of a kill -9: {await output}");
        Assert.True(Length(temp) < before["events_big.jsonl"].Length, "the export was killed after it had written the whole file");

        var after = Directory.EnumerateFiles(exports).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in before)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed although the export that was writing was killed");
        }

        Assert.True(File.Exists(temp), "the killed export's temp file should be left for the next export to remove");

        var again = await SluiceProcess.RunAsync(project, "export", "-s", "path:models/marts", "--out", "exports");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Empty(Directory.EnumerateFiles(exports, "*.tmp"));
        Assert.True(before["daily_sales.jsonl"].AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(exports, "daily_sales.jsonl"))));
        using var last = File.OpenText(Path.Combine(exports, "events_big.jsonl"));
        Assert.Equal("{\"_id\":\"0\",\"n\":0,\"label\":\"event 0 b\",\"bucket\":0}", await last.ReadLineAsync());
    }

    [Theory]
    [InlineData(new[] { "--select", "daily_sales", "--out", "x", "--format", "xml" }, "error: Argument 'xml' not recognized. Must be one of:")]
    [InlineData(new[] { "--select", "missing", "--out", "x" }, "error: --select 'missing' matches no model, seed or snapshot.")]
    [InlineData(new[] { "--out", "x" }, "error: export needs --select naming the models to export")]
    [InlineData(new[] { "--select", "daily_sales" }, "error: Option '--out' is required.")]
    [InlineData(new[] { "--select", "daily_sales", "--out", "x", "--from", "2025-01-01" }, "error: --from needs --to; give both ends of the range.")]
    [InlineData(new[] { "--select", "daily_sales", "--out", "x", "--from", "2025-01-05", "--to", "2025-01-01" }, "error: --from 2025-01-05 is after --to 2025-01-01; swap them.")]
    [InlineData(new[] { "--select", "daily_sales", "--out", "sluice.yml/exports" }, "error: --out {project}/sluice.yml/exports: the folder cannot be created ({project}/sluice.yml is a file, not a folder); give a folder you can write to.")]
    public async Task Usage_mistakes_exit_2_with_one_line_that_says_what_to_do(string[] arguments, string error)
    {
        var project = await DuckDbProjectAsync(build: false);

        var result = await SluiceProcess.RunAsync(project, ["export", .. arguments], null, null);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(error.Replace("{project}", project, StringComparison.Ordinal), result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(project, "x")) && Directory.EnumerateFiles(Path.Combine(project, "x"), "*.jsonl").Any());
    }

    [Fact]
    public async Task A_model_without_a_key_fails_alone_with_exit_2_and_an_unbuilt_one_with_exit_1()
    {
        var project = await DuckDbProjectAsync();
        Write(project, "models/other/no_key.sql", "{{ config(materialized='table') }}\nselect 1 as x\n");
        Write(project, "models/other/later.sql", "{{ config(materialized='table', unique_key='x') }}\nselect 1 as x\n");
        Assert.Equal(0, (await SluiceProcess.RunAsync(project, "run", "-s", "no_key")).ExitCode);

        var configuration = await SluiceProcess.RunAsync(project, "export", "-s", "daily_sales", "no_key", "--out", "exports", "--format", "csv");
        var runtime = await SluiceProcess.RunAsync(project, "export", "-s", "daily_sales", "no_key", "later", "--out", "exports", "--format", "csv");

        Assert.True(configuration.ExitCode == 2, configuration.ToString());
        Assert.Contains("1 exported (15 rows), 1 failed", configuration.Stderr, StringComparison.Ordinal);
        Assert.Contains("error: model 'no_key' (models/other/no_key.sql) has no unique_key, so its rows have no stable _id; add unique_key", configuration.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project, "exports", "daily_sales.csv")));
        Assert.False(File.Exists(Path.Combine(project, "exports", "no_key.csv")));

        Assert.True(runtime.ExitCode == 1, runtime.ToString());
        Assert.Contains("error: model 'later' has not been built: main.later does not exist in the warehouse; build it with `sluice run --select later`, then export again.", runtime.Stderr, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(project, "exports", "export-summary.json")));
        Assert.Equal((1, 2), (summary.RootElement.GetProperty("exported").GetInt32(), summary.RootElement.GetProperty("failed").GetInt32()));
    }

    [Fact]
    public async Task Export_on_postgres_writes_parquet_with_parquet_net_that_reads_back_as_the_source_rows()
    {
        var server = await PostgresServer.GetAsync();
        var project = await DuckDbProjectAsync(warehouse: $"warehouse:\n  type: postgres\n  url: {await server.CreateDatabaseAsync("export_cli")}\n");

        var parquet = await SluiceProcess.RunAsync(project, "export", "-s", "daily_sales", "--format", "parquet", "--out", "exports");
        var jsonl = await SluiceProcess.RunAsync(project, "export", "-s", "daily_sales", "--out", "exports");

        Assert.True(parquet.ExitCode == 0, parquet.ToString());
        Assert.True(jsonl.ExitCode == 0, jsonl.ToString());
        Assert.Contains("Exporting 1 model(s) from postgres", parquet.Stderr, StringComparison.Ordinal);
        var expected = await QueryAsync(project, """
            select cast(cast(sold_at as date) as varchar) || '|' || tenant as id, cast(cast(sold_at as date) as varchar) as d, count(*) as orders, sum(cast(amount as decimal(12, 2))) as revenue
            from {{ ref('sales') }}
            group by cast(sold_at as date), tenant
            order by 1
            """);

        await using var duckDb = WarehouseFactory.Create(new DuckDbWarehouseSettings(":memory:"), project);
        await using var session = await duckDb.OpenSessionAsync();
        var rows = new List<string>();
        await using (var reader = await session.QueryAsync(
            $"select _id, strftime(d, '%Y-%m-%d'), orders, cast(revenue as decimal(12, 2)), typeof(d), typeof(revenue) from read_parquet('{Path.Combine(project, "exports", "daily_sales.parquet")}')"))
        {
            while (await reader.ReadAsync())
            {
                Assert.Equal(("DATE", "DECIMAL(38,18)"), (reader.GetString(4), reader.GetString(5)));
                rows.Add(string.Join(',', reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetDecimal(3).ToString(CultureInfo.InvariantCulture)));
            }
        }

        Assert.Equal(expected, rows);
        var ids = File.ReadAllLines(Path.Combine(project, "exports", "daily_sales.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("_id").GetString());
        Assert.Equal(expected.Select(e => e.Split(',')[0]), ids);
    }

    [Fact]
    public async Task Export_of_a_served_duckdb_file_stops_naming_the_server()
    {
        var project = await DuckDbProjectAsync();
        await using var server = await ServedProcess.StartAsync(project, ["serve"], Path.Combine(project, "warehouse.duckdb.serving"));

        var result = await SluiceProcess.RunAsync(project, "export", "-s", "daily_sales", "--out", "exports");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"error: warehouse.duckdb is held by sluice serve (pid {server.ProcessId}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("stop it to run `sluice export`", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(project, "exports")));
    }

    /// <summary>
    /// A project with a sales seed (3 tenants over 5 days), a day-partitioned mart keyed by day and
    /// tenant, and a table of <paramref name="bigRows"/> generated rows; built unless <paramref name="build"/> is false.
    /// </summary>
    private async Task<string> DuckDbProjectAsync(int bigRows = 1000, string salt = "", string warehouse = "warehouse:\n  type: duckdb\n  path: warehouse.duckdb\n", bool build = true)
    {
        var project = _temp.Combine($"shop{Directory.EnumerateDirectories(_temp.Path).Count()}");
        Write(project, "sluice.yml", $"name: export_cli\n{warehouse}models:\n  marts:\n    +schema: marts\n");
        var csv = new StringBuilder("id,sold_at,tenant,amount\n");
        for (var i = 0; i < 60; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i + 1},2025-01-{1 + (i % 5):00} {i % 24:00}:{i * 7 % 60:00}:00,{(i % 3) switch { 0 => "acme", 1 => "beta", _ => "gamma" }},{i * 13 % 1000 / 10m:0.00}\n");
        }

        Write(project, "seeds/sales.csv", csv.ToString());
        Write(project, "models/marts/daily_sales.sql", """
            {{ config(materialized='incremental', partition_by='d', unique_key='tenant') }}
            select cast(sold_at as date) as d, tenant, count(*) as orders, sum(cast(amount as decimal(12, 2))) as revenue
            from {{ ref('sales') }}
            where sold_at >= cast('{{ partition_start }}' as timestamp) and sold_at < cast('{{ partition_end }}' as timestamp)
            group by 1, 2
            """);
        Write(project, "models/marts/events_big.sql", """
            {{ config(materialized='table', unique_key='n') }}
            select n, 'event ' || cast(n as varchar) || ' {{ var("salt", "") }}' as label, n % 97 as bucket
            from generate_series(0, {{ var('rows', 1000) }} - 1) as numbers (n)
            """);
        if (build)
        {
            var built = await SluiceProcess.RunAsync(project, "build", "--from", "2025-01-01", "--to", "2025-01-05", "--vars", $"{{rows: {bigRows}, salt: '{salt}'}}");
            Assert.True(built.ExitCode == 0, built.ToString());
        }

        return project;
    }

    /// <summary>Rows of a query run by `sluice query`, as CSV lines without the header.</summary>
    private static async Task<List<string>> QueryAsync(string project, string sql)
    {
        var result = await SluiceProcess.RunAsync(project, "query", sql, "--format", "csv");
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)];
    }

    /// <summary>
    /// Checks <paramref name="found"/> until it gives a value, while <paramref name="process"/>
    /// runs; fails when the process ends first or the deadline passes. A file's growth has no
    /// event to wait on (inotify reports a write when the file is closed), so it is looked at.
    /// </summary>
    private static async Task<string> WaitForAsync(Func<string?> found, Process process, Task<string> output, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            if (found() is { } value)
            {
                return value;
            }

            if (process.HasExited)
            {
                Assert.Fail($"the export ended (exit code {process.ExitCode}) before {what} was seen: {await output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"gave up waiting for {what} after {Deadline}.");
            }

            await Task.Delay(5);
        }
    }

    private static long Length(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    private static Process Start(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = false, UseShellExecute = false };
        start.ArgumentList.Add(SluiceProcess.AppPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
    }

    private static void Write(string project, string path, string text)
    {
        var full = Path.Combine(project, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }
}
