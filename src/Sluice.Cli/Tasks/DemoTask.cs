using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Sluice.Cli.Output;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Demo;
using Sluice.Demo.ApplyLens;
using Sluice.Warehouses;
using Sluice.Warehouses.Postgres;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice demo</c>: the ApplyLens example end to end on the embedded warehouse. Writes the
/// project, generates its source data (CSV files, or a PostgreSQL database), syncs, builds and
/// checks, prints a summary and serves the metrics API. Run again, it generates only the days
/// since the last run and builds only what they changed.
/// </summary>
internal sealed class DemoTask(CliContext context, ParseResult parseResult)
{
    private const long DefaultSeed = 20_240_601;

    private static readonly Option<string> DirOption = new("--dir")
    {
        Description = "The folder of the demo project; created when missing, reused when it holds the demo. Default: ./sluice-demo.",
        HelpName = "dir",
        DefaultValueFactory = _ => "sluice-demo",
    };

    private static readonly Option<int> DaysOption = CreateDaysOption();

    private static readonly Option<string?> SourceUrlOption = new("--source-url")
    {
        Description = "Generate the product's tables into this PostgreSQL database (postgres://user@host:5432/db) and sync from it, instead of CSV files.",
        HelpName = "url",
    };

    private static readonly Option<bool> NoServeOption = new("--no-serve") { Description = "Exit after the summary instead of serving the metrics API." };

    private static readonly Option<int> PortOption = new("--port")
    {
        Description = "The port to serve on; 0 picks a free one. Default: 8080.",
        HelpName = "port",
        DefaultValueFactory = _ => 8080,
    };

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("demo", "Run the ApplyLens example end to end: write the project, generate its data, sync, build, check, summarize and serve.")
        {
            DirOption, DaysOption, SourceUrlOption, NoServeOption, PortOption,
        };
        VerbRunner.SetAction(command, globals, "the demo failed", (parseResult, context, cancellationToken) =>
            new DemoTask(context, parseResult).RunAsync(cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (parseResult.GetValue(PortOption) is < 0 or > 65535)
        {
            throw new ConfigurationException($"--port {parseResult.GetValue(PortOption)} is not a port; give 0 to 65535.");
        }

        var directory = Path.GetFullPath(parseResult.GetValue(DirOption)!);
        var url = parseResult.GetValue(SourceUrlOption);
        var source = url is null ? "csv" : "postgres";
        var record = DemoRecord.Read(directory);
        if (record is not null && record.Source != source)
        {
            throw new ConfigurationException(
                $"{directory} holds a demo whose data is in {(record.IsCsv ? "CSV files" : "PostgreSQL")}; run it {(record.IsCsv ? "without" : "with")} --source-url, or give another --dir.");
        }

        if (record is null && File.Exists(Path.Combine(directory, SluiceProject.FileName)))
        {
            throw new ConfigurationException($"{directory} holds a Sluice project that is not the demo; give another --dir.");
        }

        if (url is not null)
        {
            // The project reads the URL from the environment, so that sluice.yml holds no password.
            Environment.SetEnvironmentVariable(ApplyLensProject.SourceUrlVariable, url);
        }

        var fresh = record is null;
        var written = ApplyLensProject.Write(directory, csv: url is null);
        await context.Error.WriteLineAsync(fresh
            ? $"Wrote the ApplyLens project into {directory}."
            : $"Using the ApplyLens project in {directory}{(written.Count > 0 ? $" ({written.Count} missing file(s) written again)" : string.Empty)}.");

        record = await GenerateAsync(directory, record, url, cancellationToken);

        string[] project = ["--project-dir", directory];
        var code = await SluiceCli.RunAsync(["sync", .. project], context.Out, context.Error, cancellationToken);
        if (code != ExitCodes.Success)
        {
            ErrorReporter.WriteError(context, $"the demo's sync failed; see above, fix it, and run `sluice demo --dir {directory}` again.");
            return code;
        }

        code = await SluiceCli.RunAsync(["build", "--from", Day(record.First), "--to", Day(record.Last), .. project], context.Out, context.Error, cancellationToken);
        await SummarizeAsync(directory, clock.Elapsed, cancellationToken);
        if (code != ExitCodes.Success)
        {
            ErrorReporter.WriteError(context, "the demo's build did not pass; see above.");
            return code;
        }

        if (parseResult.GetValue(NoServeOption))
        {
            return ExitCodes.Success;
        }

        var port = parseResult.GetValue(PortOption);
        if (port == 0)
        {
            // Pick the free port here, so that the examples below can name it.
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var host = $"http://127.0.0.1:{port}";
        var yesterday = Day(record.Last);
        var weekAgo = Day(record.Last.AddDays(-6));
        await context.Out.WriteLineAsync($"""

            Open the operations dashboard: {host}/  (the project's dashboards/operations.yml)
            Serving the metrics API on {host} (Ctrl+C stops). Try:
              curl '{host}/api/v1/metrics'
              curl '{host}/api/v1/metrics/email_volume/trend?granularity=day&from={weekAgo}&to={yesterday}'
              curl '{host}/api/v1/metrics/email_volume/trend?granularity=total&from={weekAgo}&to={yesterday}'
              curl '{host}/api/v1/metrics/emails_by_risk/trend?granularity=month&group_by=risk_bucket'
              curl '{host}/api/v1/models/mrt_risk_daily/rows?order_by=-d&limit=7'
            """);
        return await SluiceCli.RunAsync(["serve", "--port", port.ToString(CultureInfo.InvariantCulture), .. project], context.Out, context.Error, cancellationToken);
    }

    // Generates the days from the last run's last day (or the first) to yesterday, UTC.
    private async Task<DemoRecord> GenerateAsync(string directory, DemoRecord? record, string? url, CancellationToken cancellationToken)
    {
        var last = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var days = parseResult.GetValue(DaysOption);
        var first = record?.First ?? last.AddDays(1 - days);
        var generatedTo = record?.Last;
        if (generatedTo > last)
        {
            last = generatedTo.Value;
        }

        // Build the state as it was at the last run, then step it day by day to yesterday: the
        // rows of a day depend on the seed and the day alone, so this repeats the data exactly.
        var seed = record?.Seed ?? DefaultSeed;
        var state = ApplyLensState.Build(seed, first, generatedTo ?? last);
        var steps = new List<(ApplyLensDay Added, ApplyLensChanges Changed)>();
        while (state.Last < last)
        {
            steps.Add(state.Advance());
        }

        if (url is null)
        {
            var files = await ApplyLensCsv.WriteAsync(Path.Combine(directory, ApplyLensProject.DataFolder), state, cancellationToken);
            await context.Error.WriteLineAsync($"Generated {Describe(state)}: {files} CSV file(s) new or changed in {ApplyLensProject.DataFolder}/.");
        }
        else
        {
            await using var database = NpgsqlDataSource.Create(PostgresUrl.ToConnectionString(url, "sluice-demo"));
            if (generatedTo is null)
            {
                await ApplyLensPostgres.LoadAsync(database, state, cancellationToken);
            }

            foreach (var (added, changed) in steps)
            {
                await ApplyLensPostgres.ApplyAsync(database, added, changed, cancellationToken);
            }

            await context.Error.WriteLineAsync(generatedTo is null
                ? $"Generated {Describe(state)} into {SecretMasker.Mask(url)}."
                : $"Generated {steps.Count} more day(s) of changes into {SecretMasker.Mask(url)}: {Describe(state)}.");
        }

        var updated = new DemoRecord(seed, url is null ? "csv" : "postgres", first, state.Last);
        updated.Write(directory);
        return updated;
    }

    private static string Describe(ApplyLensState state) => string.Create(
        CultureInfo.InvariantCulture,
        $"{state.Emails.Count:N0} emails and {state.Applications.Count:N0} applications from {Day(state.First)} to {Day(state.Last)}");

    // The last seven days of the risk mart, and what the pipeline holds.
    private async Task SummarizeAsync(string directory, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var project = ProjectLoader.Load(directory);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        await using var session = await warehouse.OpenSessionAsync(cancellationToken);
        var console = Consoles.For(context.Out, !Console.IsOutputRedirected && context.Out == Console.Out);

        var table = Tables.Create(("d", false), ("emails", true), ("scored", true), ("avg risk", true), ("high %", true), ("critical %", true), ("coverage %", true), ("top sender domains", false));
        var mart = new TableName("marts", "mrt_risk_daily");
        if (await session.DescribeTableAsync(mart, cancellationToken) is not null)
        {
            await using var reader = await session.QueryAsync(
                "select d, emails, emails_scored, avg_risk, high_risk_pct, critical_risk_pct, coverage_pct, top_sender_domains from marts.mrt_risk_daily order by d desc limit 7",
                null,
                cancellationToken);
            var rows = new List<string[]>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(
                [
                    Day(reader.GetFieldValue<DateOnly>(0)),
                    Tables.Count(Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)),
                    Tables.Count(Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture)),
                    Number(reader.GetValue(3)),
                    Number(reader.GetValue(4)),
                    Number(reader.GetValue(5)),
                    Number(reader.GetValue(6)),
                    reader.IsDBNull(7) ? string.Empty : reader.GetString(7).Replace(",", ", ", StringComparison.Ordinal),
                ]);
            }

            foreach (var row in Enumerable.Reverse(rows))
            {
                table.AddRow(row.Select(cell => new Text(cell)).ToArray());
            }

            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync("mrt_risk_daily, the last 7 days:");
            console.Write(table);
        }

        var counts = await CountsAsync(session, cancellationToken);
        await context.Out.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"""

            ApplyLens demo in {elapsed.TotalSeconds:0.0}s: {counts.Emails:N0} emails and {counts.Applications:N0} applications in the warehouse; the last build built {counts.Built} resource(s) ({counts.Failed} failed) and ran {counts.Checks} check(s): {counts.Passed} passed, {counts.Warned} warned, {counts.CheckFailed} failed.
            """));
    }

    private static async Task<(long Emails, long Applications, long Built, long Failed, long Checks, long Passed, long Warned, long CheckFailed)> CountsAsync(IWarehouseSession session, CancellationToken cancellationToken)
    {
        async Task<long> ScalarAsync(string sql) =>
            await session.ScalarAsync(sql, null, cancellationToken) is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;

        const string Latest = "(select invocation_id from _sluice.job_runs order by started_at desc limit 1)";
        return (
            await ScalarAsync("select count(*) from raw.app__emails where _sluice_deleted_at is null"),
            await ScalarAsync("select count(*) from raw.app__applications where _sluice_deleted_at is null"),
            await ScalarAsync($"select count(distinct job_name) from _sluice.job_runs where status = 'SUCCESS' and invocation_id = {Latest}"),
            await ScalarAsync($"select count(distinct job_name) from _sluice.job_runs where status = 'FAILED' and invocation_id = {Latest}"),
            await ScalarAsync($"select count(*) from _sluice.check_results where run_id = {Latest}"),
            await ScalarAsync($"select count(*) from _sluice.check_results where status = 'pass' and run_id = {Latest}"),
            await ScalarAsync($"select count(*) from _sluice.check_results where status = 'warn' and run_id = {Latest}"),
            await ScalarAsync($"select count(*) from _sluice.check_results where status in ('fail', 'error') and run_id = {Latest}"));
    }

    private static string Number(object? value) => value is null or DBNull ? "-" : Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Option<int> CreateDaysOption()
    {
        var option = WholeNumberOption.Create("--days", 1, 3660, defaultValue: 90);
        option.Description = "Days of data to generate, up to yesterday (UTC), on the first run. Default: 90.";
        option.HelpName = "N";
        return option;
    }
}
