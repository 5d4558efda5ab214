using System.Globalization;
using Npgsql;
using Sluice.Cli.Output;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Demo;
using Sluice.Demo.Teei;
using Sluice.Warehouses.Postgres;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>
/// The TEEI example: a CSR platform's outcome scores, program enrollments and companies, synced
/// and built into the facts its analytics API serves — trends, cohorts, the program funnel and
/// benchmarks by industry, region and size.
/// </summary>
internal sealed class TeeiDemo : DemoExample
{
    public override string Name => "teei";

    public override string Title => "TEEI";

    public override ExampleProject Project => TeeiProject.Example;

    public override string SourceUrlVariable => TeeiProject.SourceUrlVariable;

    // Generates the days from the last run's last day (or the first) to yesterday, UTC, then syncs.
    public override async Task<(DemoRecord Record, int ExitCode)> PrepareAsync(DemoRun run, CancellationToken cancellationToken)
    {
        var (first, last, generatedTo) = (run.First, run.Last, run.Record?.Last);

        // The state as it was at the last run, stepped day by day to yesterday: a day's rows
        // depend on the seed and the days before it alone, so this repeats the data exactly.
        var seed = run.Record?.Seed ?? run.Seed;
        var state = TeeiState.Build(seed, first, generatedTo ?? last);
        var steps = new List<TeeiChanges>();
        while (state.Last < last)
        {
            steps.Add(state.Advance());
        }

        if (run.SourceUrl is not { } url)
        {
            var files = await TeeiCsv.WriteAsync(Path.Combine(run.Directory, ExampleProject.DataFolder), state, cancellationToken: cancellationToken);
            await run.Context.Error.WriteLineAsync($"Generated {Describe(state)}: {files} CSV file(s) new or changed in {ExampleProject.DataFolder}/.");
        }
        else
        {
            await using var database = NpgsqlDataSource.Create(PostgresUrl.ToConnectionString(url, "sluice-demo"));
            if (generatedTo is null)
            {
                await TeeiPostgres.LoadAsync(database, state, cancellationToken);
            }
            else
            {
                foreach (var changes in steps)
                {
                    await TeeiPostgres.ApplyAsync(database, changes, cancellationToken);
                }
            }

            await run.Context.Error.WriteLineAsync(generatedTo is null
                ? $"Generated {Describe(state)} into {SecretMasker.Mask(url)}."
                : $"Generated {steps.Count} more day(s) of changes into {SecretMasker.Mask(url)}: {Describe(state)}.");
        }

        var record = new DemoRecord(seed, run.SourceUrl is null ? "csv" : "postgres", first, state.Last) { Example = Name };
        record.Write(run.Directory);
        return (record, await run.SluiceAsync(["sync"], cancellationToken));
    }

    // The last seven days of scores and program steps, and what the warehouse holds.
    public override async Task SummarizeAsync(DemoRun run, DemoRecord record, IWarehouseSession session, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var context = run.Context;
        if (await session.DescribeTableAsync(new TableName("marts", "fct_outcome_scores"), cancellationToken) is not null
            && await session.DescribeTableAsync(new TableName("marts", "fct_program_events"), cancellationToken) is not null)
        {
            var console = Consoles.For(context.Out, !Console.IsOutputRedirected && context.Out == Console.Out);
            var table = Tables.Create(("score_date", false), ("scores", true), ("users", true), ("companies", true), ("avg score", true), ("enrolled", true), ("matched", true), ("completed", true));
            await using var reader = await session.QueryAsync(
                """
                select s.score_date, count(*), count(distinct s.user_id), count(distinct s.company_id), avg(s.score),
                       (select count(*) from marts.fct_program_events as e where e.event_name = 'enrolled' and cast(e.occurred_at as date) = s.score_date),
                       (select count(*) from marts.fct_program_events as e where e.event_name = 'matched' and cast(e.occurred_at as date) = s.score_date),
                       (select count(*) from marts.fct_program_events as e where e.event_name = 'completed' and cast(e.occurred_at as date) = s.score_date)
                from marts.fct_outcome_scores as s
                group by s.score_date
                order by s.score_date desc
                limit 7
                """,
                null,
                cancellationToken);
            var rows = new List<string[]>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add([Day(reader.GetFieldValue<DateOnly>(0)), .. Enumerable.Range(1, 7).Select(i => Cell(reader.GetValue(i), i == 4))]);
            }

            foreach (var row in Enumerable.Reverse(rows))
            {
                table.AddRow(row.Select(cell => new Text(cell)).ToArray());
            }

            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync("Outcome scores and program steps, the last 7 days:");
            console.Write(table);
        }

        var companies = await DemoCounts.ScalarAsync(session, "select count(*) from raw.platform__companies where _sluice_deleted_at is null", cancellationToken);
        var scores = await DemoCounts.ScalarAsync(session, "select count(*) from raw.platform__outcome_scores where _sluice_deleted_at is null", cancellationToken);
        var enrollments = await DemoCounts.ScalarAsync(session, "select count(*) from raw.platform__program_enrollments where _sluice_deleted_at is null", cancellationToken);
        var build = await DemoCounts.LatestBuildAsync(session, cancellationToken);
        await context.Out.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"""

            TEEI demo in {elapsed.TotalSeconds:0.0}s: {companies:N0} companies, {scores:N0} outcome scores and {enrollments:N0} program enrollments in the warehouse; {build}.
            """));
    }

    public override string Hints(string host, DemoRecord record)
    {
        // Companies that were there before the first day are there on every later one.
        var companies = TeeiState.Build(record.Seed, record.First, record.First.AddDays(-1)).Rows<TeeiCompanyRow>(TeeiTables.Companies).Take(3).ToList();
        var (from, to) = (Day(record.Last.AddDays(-27)), Day(record.Last));
        return $"""

            Serving the TEEI analytics API on {host} (Ctrl+C stops). The seed's four endpoints:
              curl -g '{host}/api/v1/metrics/outcome_score/trend?granularity=week&filter[dimension]=confidence&filter[company_id]={companies[0].Id}&from={from}&to={to}&page_size=50'
              curl '{host}/api/v1/metrics/outcome_score/cohorts?by=company_id&cohorts={string.Join(",", companies.Select(c => c.Id))}&from={from}&to={to}'
              curl '{host}/api/v1/funnels/program_journey?from={from}&to={to}'
              curl '{host}/api/v1/benchmarks/outcome_vs_peers?entity={companies[0].Id}&by=industry&from={from}&to={to}'
            The catalog: curl '{host}/api/v1/metrics'; health: curl '{host}/health/ready'
            """;
    }

    private static string Describe(TeeiState state) => string.Create(
        CultureInfo.InvariantCulture,
        $"{state.Rows(TeeiTables.Companies).Count:N0} companies, {state.Rows(TeeiTables.Users).Count:N0} users, {state.Rows(TeeiTables.Scores).Count:N0} outcome scores and {state.Rows(TeeiTables.Enrollments).Count:N0} enrollments from {Day(state.First)} to {Day(state.Last)}");

    // DuckDB sums whole numbers into 128-bit ones, which are not IConvertible.
    private static string Cell(object? value, bool fraction) => value switch
    {
        null or DBNull => "-",
        _ when fraction => Number(value).ToString("0.000", CultureInfo.InvariantCulture),
        _ => Tables.Count((long)Number(value)),
    };

    private static double Number(object value) =>
        value is IConvertible ? Convert.ToDouble(value, CultureInfo.InvariantCulture) : double.Parse(string.Format(CultureInfo.InvariantCulture, "{0}", value), CultureInfo.InvariantCulture);
}
