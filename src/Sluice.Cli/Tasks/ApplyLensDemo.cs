using System.Globalization;
using Npgsql;
using Sluice.Cli.Output;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Demo;
using Sluice.Demo.ApplyLens;
using Sluice.Warehouses.Postgres;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>The ApplyLens example: job-search mail scored for risk, synced and built into daily marts.</summary>
internal sealed class ApplyLensDemo : DemoExample
{
    public override string Name => "applylens";

    public override string Title => "ApplyLens";

    public override ExampleProject Project => ApplyLensProject.Example;

    public override string SourceUrlVariable => ApplyLensProject.SourceUrlVariable;

    public override string DefaultDirectory => "sluice-demo";

    // Generates the days from the last run's last day (or the first) to yesterday, UTC, then syncs.
    public override async Task<(DemoRecord Record, int ExitCode)> PrepareAsync(DemoRun run, CancellationToken cancellationToken)
    {
        var (first, last, generatedTo) = (run.First, run.Last, run.Record?.Last);

        // Build the state as it was at the last run, then step it day by day to yesterday: the
        // rows of a day depend on the seed and the day alone, so this repeats the data exactly.
        var seed = run.Record?.Seed ?? run.Seed;
        var state = ApplyLensState.Build(seed, first, generatedTo ?? last);
        var steps = new List<(ApplyLensDay Added, ApplyLensChanges Changed)>();
        while (state.Last < last)
        {
            steps.Add(state.Advance());
        }

        if (run.SourceUrl is not { } url)
        {
            var files = await ApplyLensCsv.WriteAsync(Path.Combine(run.Directory, ExampleProject.DataFolder), state, cancellationToken);
            await run.Context.Error.WriteLineAsync($"Generated {Describe(state)}: {files} CSV file(s) new or changed in {ExampleProject.DataFolder}/.");
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

            await run.Context.Error.WriteLineAsync(generatedTo is null
                ? $"Generated {Describe(state)} into {SecretMasker.Mask(url)}."
                : $"Generated {steps.Count} more day(s) of changes into {SecretMasker.Mask(url)}: {Describe(state)}.");
        }

        var record = new DemoRecord(seed, run.SourceUrl is null ? "csv" : "postgres", first, state.Last) { Example = Name };
        record.Write(run.Directory);
        return (record, await run.SluiceAsync(["sync"], cancellationToken));
    }

    // The last seven days of the risk mart, and what the pipeline holds.
    public override async Task SummarizeAsync(DemoRun run, DemoRecord record, IWarehouseSession session, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var context = run.Context;
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

        var emails = await DemoCounts.ScalarAsync(session, "select count(*) from raw.app__emails where _sluice_deleted_at is null", cancellationToken);
        var applications = await DemoCounts.ScalarAsync(session, "select count(*) from raw.app__applications where _sluice_deleted_at is null", cancellationToken);
        var build = await DemoCounts.LatestBuildAsync(session, cancellationToken);
        await context.Out.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"""

            ApplyLens demo in {elapsed.TotalSeconds:0.0}s: {emails:N0} emails and {applications:N0} applications in the warehouse; {build}.
            """));
    }

    public override string Hints(string host, DemoRecord record)
    {
        var yesterday = Day(record.Last);
        var weekAgo = Day(record.Last.AddDays(-6));
        return $"""

            Open the operations dashboard: {host}/  (the project's dashboards/operations.yml)
            Serving the metrics API on {host} (Ctrl+C stops). Try:
              curl '{host}/api/v1/metrics'
              curl '{host}/api/v1/metrics/email_volume/trend?granularity=day&from={weekAgo}&to={yesterday}'
              curl '{host}/api/v1/metrics/email_volume/trend?granularity=total&from={weekAgo}&to={yesterday}'
              curl '{host}/api/v1/metrics/emails_by_risk/trend?granularity=month&group_by=risk_bucket'
              curl '{host}/api/v1/models/mrt_risk_daily/rows?order_by=-d&limit=7'
            """;
    }

    private static string Describe(ApplyLensState state) => string.Create(
        CultureInfo.InvariantCulture,
        $"{state.Emails.Count:N0} emails and {state.Applications.Count:N0} applications from {Day(state.First)} to {Day(state.Last)}");

    private static string Number(object? value) => value is null or DBNull ? "-" : Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>What the demos count in the warehouse for their closing line.</summary>
internal static class DemoCounts
{
    /// <summary>A count, 0 when the query returns nothing.</summary>
    public static async Task<long> ScalarAsync(IWarehouseSession session, string sql, CancellationToken cancellationToken) =>
        await session.ScalarAsync(sql, null, cancellationToken) is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;

    /// <summary>The latest build's resources built and failed and its checks, as a phrase.</summary>
    public static async Task<string> LatestBuildAsync(IWarehouseSession session, CancellationToken cancellationToken)
    {
        const string Latest = "(select invocation_id from _sluice.job_runs order by started_at desc limit 1)";
        var built = await ScalarAsync(session, $"select count(distinct job_name) from _sluice.job_runs where status = 'SUCCESS' and invocation_id = {Latest}", cancellationToken);
        var failed = await ScalarAsync(session, $"select count(distinct job_name) from _sluice.job_runs where status = 'FAILED' and invocation_id = {Latest}", cancellationToken);
        var checks = await ScalarAsync(session, $"select count(*) from _sluice.check_results where run_id = {Latest}", cancellationToken);
        var passed = await ScalarAsync(session, $"select count(*) from _sluice.check_results where status = 'pass' and run_id = {Latest}", cancellationToken);
        var warned = await ScalarAsync(session, $"select count(*) from _sluice.check_results where status = 'warn' and run_id = {Latest}", cancellationToken);
        var checkFailed = await ScalarAsync(session, $"select count(*) from _sluice.check_results where status in ('fail', 'error') and run_id = {Latest}", cancellationToken);
        return string.Create(CultureInfo.InvariantCulture, $"the last build built {built} resource(s) ({failed} failed) and ran {checks} check(s): {passed} passed, {warned} warned, {checkFailed} failed");
    }
}
