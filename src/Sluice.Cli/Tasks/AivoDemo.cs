using System.Globalization;
using Npgsql;
using Sluice.Cli.Output;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Demo;
using Sluice.Demo.Aivo;
using Sluice.Models.Run;
using Sluice.Models.State;
using Sluice.Sync.Engine;
using Sluice.Warehouses;
using Sluice.Warehouses.Postgres;
using Spectre.Console;

namespace Sluice.Cli.Tasks;

/// <summary>
/// The AIVO example: a learning product's star schema. Its dimensions keep history only as the
/// pipeline saw them change, so the demo replays the days as the hourly schedule would have run
/// them — each day's changes written, the dimension tables synced and the snapshots updated —
/// then syncs the events and builds the facts for every day.
/// </summary>
internal sealed class AivoDemo : DemoExample
{
    public override string Name => "aivo";

    public override string Title => "AIVO";

    public override ExampleProject Project => AivoProject.Example;

    public override string SourceUrlVariable => AivoProject.SourceUrlVariable;

    public override async Task<(DemoRecord Record, int ExitCode)> PrepareAsync(DemoRun run, CancellationToken cancellationToken)
    {
        var (first, last, generatedTo) = (run.First, run.Last, run.Record?.Last);
        var seed = run.Record?.Seed ?? run.Seed;
        var source = run.SourceUrl is null ? "csv" : "postgres";
        var data = Path.Combine(run.Directory, ExampleProject.DataFolder);
        var state = AivoState.Build(seed, first, generatedTo ?? first.AddDays(-1));
        await using var database = run.SourceUrl is { } url ? NpgsqlDataSource.Create(PostgresUrl.ToConnectionString(url, "sluice-demo")) : null;
        string[] dimensions = ["sync", "--table", .. AivoTables.Dimensions.Select(t => t.Name)];
        int code;
        if (generatedTo is null)
        {
            // The product as it stood before the first day, and its dimensions' first versions.
            if (database is null)
            {
                await AivoCsv.WriteAsync(data, state, cancellationToken: cancellationToken);
            }
            else
            {
                await AivoPostgres.LoadAsync(database, state, cancellationToken);
            }

            if ((code = await QuietAsync(run, dimensions, cancellationToken)) != ExitCodes.Success
                || (code = await QuietAsync(run, ["snapshot"], cancellationToken)) != ExitCodes.Success)
            {
                return (new DemoRecord(seed, source, first, state.Last) { Example = Name }, code);
            }
        }

        var days = last.DayNumber - state.Last.DayNumber;
        await run.Context.Error.WriteLineAsync(days > 0
            ? $"Replaying {days} day(s), {Day(state.Last.AddDays(1))} to {Day(last)}: each day's changes, then the dimensions synced and snapshotted."
            : "No new day to generate.");
        var record = new DemoRecord(seed, source, first, state.Last) { Example = Name };
        var changed = 0;
        var replay = System.Diagnostics.Stopwatch.StartNew();

        // One project and one open warehouse for every day: opening them for each step would
        // cost more than the step's work.
        var project = ProjectParser.Parse(ProjectLoader.Load(run.Directory));
        await using (var warehouse = WarehouseFactory.Create(project.Project.Warehouse, project.Project.Directory))
        {
            while (state.Last < last)
            {
                var changes = state.Advance();
                changed += AivoTables.Dimensions.Sum(t => changes.Written[t].Count + changes.Deleted[t].Count);
                if (database is null)
                {
                    await AivoCsv.WriteAsync(data, state, changes, cancellationToken);
                }
                else
                {
                    await AivoPostgres.ApplyAsync(database, changes, cancellationToken);
                }

                // Only the dimensions the day changed are synced and snapshotted: the others'
                // snapshots would find nothing to do.
                var touched = AivoTables.Dimensions.Where(t => changes.Written[t].Count + changes.Deleted[t].Count > 0).ToList();
                if (touched.Count > 0 && (code = await SnapshotAsync(run, project, warehouse, touched, cancellationToken)) != ExitCodes.Success)
                {
                    return (record, code);
                }

                // What is generated and snapshotted is recorded day by day, so an interrupted demo resumes.
                record = record with { Last = state.Last };
                record.Write(run.Directory);
                var done = days - (last.DayNumber - state.Last.DayNumber);
                if (done % 10 == 0 || state.Last == last)
                {
                    await run.Context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {Day(state.Last)}: {done}/{days} day(s), {changed} dimension change(s) so far, {replay.Elapsed.TotalSeconds:0.0}s"));
                }
            }
        }

        record.Write(run.Directory);
        await run.Context.Error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Generated {Describe(state)}{(database is null ? $" as CSV files in {ExampleProject.DataFolder}/" : $" into {SecretMasker.Mask(run.SourceUrl!)}")}."));
        return (record, await run.SluiceAsync(["sync"], cancellationToken));
    }

    // The last seven days of the facts, and what the warehouse holds.
    public override async Task SummarizeAsync(DemoRun run, DemoRecord record, IWarehouseSession session, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var context = run.Context;
        if (await session.DescribeTableAsync(new TableName("warehouse", "fact_sessions"), cancellationToken) is not null)
        {
            var console = Consoles.For(context.Out, !Console.IsOutputRedirected && context.Out == Console.Out);
            var table = Tables.Create(("date_key", false), ("sessions", true), ("learners", true), ("avg minutes", true), ("correct %", true), ("focus events", true), ("homework", true), ("recs shown", true), ("accepted %", true));
            await using var reader = await session.QueryAsync(
                """
                select s.date_key, count(*), count(distinct s.learner_key), avg(s.duration_seconds) / 60.0,
                       100.0 * sum(s.correct_responses) / nullif(sum(s.responses), 0),
                       (select count(*) from warehouse.fact_focus_events as f where f.date_key = s.date_key),
                       (select coalesce(sum(h.submissions), 0) from warehouse.fact_homework_events as h where h.date_key = s.date_key),
                       (select count(*) from warehouse.fact_recommendation_events as r where r.date_key = s.date_key and r.event_type = 'shown'),
                       (select 100.0 * count(*) filter (where r.event_type = 'accepted') / nullif(count(*) filter (where r.event_type <> 'shown'), 0)
                        from warehouse.fact_recommendation_events as r where r.date_key = s.date_key)
                from warehouse.fact_sessions as s
                group by s.date_key
                order by s.date_key desc
                limit 7
                """,
                null,
                cancellationToken);
            var rows = new List<string[]>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add([Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!, .. Enumerable.Range(1, 8).Select(i => Cell(reader.GetValue(i), i is 3 or 4 or 8))]);
            }

            foreach (var row in Enumerable.Reverse(rows))
            {
                table.AddRow(row.Select(cell => new Text(cell)).ToArray());
            }

            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync("The facts, the last 7 days:");
            console.Write(table);
        }

        var learners = await DemoCounts.ScalarAsync(session, "select count(*) from warehouse.dim_learner where is_current", cancellationToken);
        var versions = await DemoCounts.ScalarAsync(session, "select (select count(*) from warehouse.dim_tenant) + (select count(*) from warehouse.dim_learner) + (select count(*) from warehouse.dim_user) + (select count(*) from warehouse.dim_subject) + (select count(*) from warehouse.dim_skill)", cancellationToken);
        var sessions = await DemoCounts.ScalarAsync(session, "select count(*) from warehouse.fact_sessions", cancellationToken);
        var build = await DemoCounts.LatestBuildAsync(session, cancellationToken);
        await context.Out.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"""

            AIVO demo in {elapsed.TotalSeconds:0.0}s: {learners:N0} learners and {sessions:N0} sessions in the warehouse, {versions:N0} dimension versions; {build}.
            """));
    }

    public override string Hints(string host, DemoRecord record) => $"""

        Open the dashboards: {host}/  (the project's dashboards/)
        Serving the metrics API on {host} (Ctrl+C stops). Try:
          curl '{host}/api/v1/models/etl_job_runs/rows?order_by=-started_at&limit=10'
          curl '{host}/api/v1/models/fact_sessions/rows?order_by=-date_key&limit=5'
          curl '{host}/api/v1/models/dim_learner/rows?limit=5'
        """;

    // Syncs the tables and updates their snapshots, as `sluice sync --table …` and
    // `sluice snapshot --select …` do; what went wrong is shown, the rest is not.
    private static async Task<int> SnapshotAsync(DemoRun run, ParsedProject project, IWarehouse warehouse, IReadOnlyList<AivoTable> tables, CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        var synced = await new SyncRunner(project.Project, warehouse, new SyncProgress(output, null))
            .RunAsync(new SyncOptions(Tables: [.. tables.Select(t => t.Name)]), cancellationToken);
        if (synced.FirstOrDefault(r => r.Status == SyncStatus.Failed) is { } failed)
        {
            await run.Context.Error.WriteAsync(output.ToString());
            ErrorReporter.WriteError(run.Context, failed.Error ?? $"{failed.Source}.{failed.Table} failed.");
            return failed.IsUserFault ? ExitCodes.Usage : ExitCodes.Failure;
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var options = new RunOptions { From = today, To = today, Threads = project.Target.Threads };
        var built = await new ModelRunner(project, warehouse).RunAsync(
            tables.Select(Snapshot).ToHashSet(StringComparer.Ordinal), options, new RunProgress(output, null), cancellationToken);
        if (built.FirstOrDefault(r => r.Status != JobStatus.Success) is { } broken)
        {
            await run.Context.Error.WriteAsync(output.ToString());
            ErrorReporter.WriteError(run.Context, broken.Error ?? $"{broken.Name} failed.");
            return ExitCodes.Failure;
        }

        return ExitCodes.Success;
    }

    // The snapshot that keeps a dimension table's versions: snap_tenant for tenants.
    private static string Snapshot(AivoTable table) => "snap_" + table.Name.TrimEnd('s');

    // A step whose output would drown the demo's: shown only when it fails.
    private static async Task<int> QuietAsync(DemoRun run, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        var code = await SluiceCli.RunAsync([.. arguments, "--project-dir", run.Directory], output, output, cancellationToken);
        if (code != ExitCodes.Success)
        {
            await run.Context.Error.WriteAsync(output.ToString());
        }

        return code;
    }

    private static string Describe(AivoState state)
    {
        int Count(AivoTable table) => state.Rows(table).Count;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Count(AivoTables.Learners):N0} learners in {Count(AivoTables.Tenants):N0} schools, {Count(AivoTables.Sessions):N0} sessions, {Count(AivoTables.Responses):N0} answers, {Count(AivoTables.FocusEvents):N0} focus events from {Day(state.First)} to {Day(state.Last)}");
    }

    // DuckDB sums whole numbers into 128-bit ones, which are not IConvertible.
    private static string Cell(object? value, bool fraction) => value switch
    {
        null or DBNull => "-",
        _ when fraction => Number(value).ToString("0.0", CultureInfo.InvariantCulture),
        _ => Tables.Count((long)Number(value)),
    };

    private static double Number(object value) =>
        value is IConvertible ? Convert.ToDouble(value, CultureInfo.InvariantCulture) : double.Parse(string.Format(CultureInfo.InvariantCulture, "{0}", value), CultureInfo.InvariantCulture);
}
