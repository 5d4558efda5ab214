using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Sluice.Demo;
using Sluice.Demo.Aivo;
using Sluice.Testing;

namespace Sluice.Cli.Tests;

/// <summary>
/// The AIVO example end to end, as its schedules run it: the dimensions synced and snapshotted
/// after each generated day, then the facts built for the range, with their checks. The SCD2
/// history equals the changes the generator made, every fact column of every day equals what the
/// test computes from the generated rows, and the seed's monitoring queries run unchanged on
/// etl_job_runs. The same day again changes nothing; --force rebuilds the same tables.
/// </summary>
public abstract partial class AivoPipelineTests : IDisposable
{
    private const long Seed = 11;

    protected TempDirectory Temp { get; } = new();

    protected Dictionary<string, string?> Environment { get; } = [];

    protected DateOnly First { get; } = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10);

    protected DateOnly Last { get; } = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);

    public void Dispose() => Temp.Dispose();

    /// <summary>Writes the project and the product's state before the first day.</summary>
    protected abstract Task PrepareAsync(AivoState state);

    /// <summary>Applies a day's changes to the product's data.</summary>
    protected abstract Task ApplyAsync(AivoState state, AivoChanges changes);

    /// <summary>Runs SQL on the warehouse.</summary>
    protected abstract List<object?[]> Query(string sql);

    /// <summary>
    /// The product's days as the hourly schedule sees them: each day's changes applied, synced,
    /// and the dimensions built; returns what the warehouse must hold.
    /// </summary>
    protected async Task<AivoWarehouse> ReplayAsync()
    {
        var state = AivoState.Build(Seed, First, First.AddDays(-1), AivoScale.Small);
        await PrepareAsync(state);
        await RunAsync("sync");
        await RunAsync("build", "--select", "tag:dims");
        var closings = new Dictionary<DateOnly, (DateTime, DateTime)>();
        while (state.Last < Last)
        {
            var changes = state.Advance();
            await ApplyAsync(state, changes);
            await RunAsync("sync");
            var started = DateTime.UtcNow;
            await RunAsync("build", "--select", "tag:dims");
            closings[state.Last] = (started, DateTime.UtcNow);
        }

        return new AivoWarehouse(Query, state, closings);
    }

    /// <summary>Runs the pipeline over the days and checks the warehouse.</summary>
    protected async Task<AivoWarehouse> RunPipelineAsync()
    {
        var warehouse = await ReplayAsync();
        await RunAsync("build", "--from", Day(First), "--to", Day(Last));

        warehouse.AssertDimensions();
        warehouse.AssertFacts(First, Last);
        AssertSeedMonitoringQueries();

        // The same day again changes nothing; forced, it is built again to the same rows.
        var before = warehouse.Dump();
        await RunAsync("build", "--date", Day(Last));
        Assert.Equal(before, warehouse.Dump());
        Assert.Equal(
            ["build_fact_focus_events", "build_fact_homework_events", "build_fact_learning_progress", "build_fact_recommendation_events", "build_fact_sessions"],
            Query($"select job_name from etl_job_runs where status = 'SKIPPED' and target_date = date '{Day(Last)}' and error_message like 'already built by invocation %' order by job_name")
                .Select(r => (string)r[0]!));
        await RunAsync("build", "--date", Day(Last), "--force");
        Assert.Equal(before, warehouse.Dump());
        warehouse.AssertFacts(First, Last);
        return warehouse;
    }

    protected async Task RunAsync(params string[] arguments)
    {
        var result = await SluiceProcess.RunAsync(Temp.Path, arguments, standardInput: null, Environment);
        Assert.True(result.ExitCode == 0, $"sluice {string.Join(' ', arguments)}: {result}");
    }

    protected static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    protected static List<object?[]> Rows(System.Data.Common.DbDataReader reader) => DbRows.Read(reader);

    // The seed's two monitoring queries, word for word.
    private void AssertSeedMonitoringQueries()
    {
        var recent = Query("""
            SELECT
              job_name,
              target_date,
              status,
              rows_processed,
              duration_ms,
              error_message
            FROM etl_job_runs
            ORDER BY started_at DESC
            LIMIT 50;
            """);
        Assert.Equal(50, recent.Count);
        Assert.All(recent, r => Assert.Matches(JobName(), (string)r[0]!));
        var daily = Query("""
            SELECT
              run_date,
              COUNT(*) FILTER (WHERE status = 'SUCCESS') as success_count,
              COUNT(*) FILTER (WHERE status = 'FAILED') as failed_count,
              COUNT(*) as total
            FROM etl_job_runs
            WHERE run_date >= CURRENT_DATE - 7
            GROUP BY run_date
            ORDER BY run_date DESC;
            """);

        // Five snapshots in each of twelve builds (the first, one a day, the last), five facts for ten days.
        Assert.Equal(0L, daily.Sum(r => Convert.ToInt64(r[2], CultureInfo.InvariantCulture)));
        Assert.Equal((5 * 12) + (5 * 10), daily.Sum(r => Convert.ToInt64(r[1], CultureInfo.InvariantCulture)));
    }

    [GeneratedRegex("^(sync_dim_(tenant|learner|user|subject|skill)|build_fact_(sessions|focus_events|homework_events|learning_progress|recommendation_events))$")]
    private static partial Regex JobName();
}

/// <summary>Generated CSV files into the embedded DuckDB warehouse.</summary>
public sealed class AivoCsvTests : AivoPipelineTests
{
    private string Data => Path.Combine(Temp.Path, ExampleProject.DataFolder);

    [Fact]
    public Task Csv_files_to_duckdb_build_the_seeds_star_schema_exactly() => RunPipelineAsync();

    [Fact]
    public async Task A_backfill_killed_midway_and_run_again_builds_every_fact_exactly()
    {
        var warehouse = await ReplayAsync();
        await RunAsync("sync");

        // A marker written as fact_sessions' fourth day commits; the backfill is killed (SIGKILL)
        // there, with the other facts' partitions under way.
        var marker = Temp.Combine("fourth-day.csv");
        var hook = $"{{% if model.name == 'fact_sessions' and partition_start == '{Day(First.AddDays(3))}' %}}copy (select 1 as built) to '{marker}'{{% endif %}}";
        File.AppendAllText(Temp.Combine("sluice.yml"), $"\nmodels:\n  +post_hook: \"{hook}\"\n");
        string[] backfill = ["backfill", "--select", "tag:facts", "--from", Day(First), "--to", Day(Last)];
        using (var killed = StartedSluice.Start(Temp.Path, backfill))
        {
            await killed.WaitForFileAsync(marker, TimeSpan.FromMinutes(5));
            await killed.SignalAsync("KILL");
            await killed.ExitAsync();
        }

        Assert.NotEmpty(Query("select 1 from _sluice.job_runs where job_name = 'fact_sessions' and status = 'SUCCESS'"));
        Assert.NotEqual(5 * 10, Query("select count(*) from _sluice.job_runs where status = 'SUCCESS' and substr(job_name, 1, 5) = 'fact_'").Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)).Single());

        await RunAsync(backfill);

        warehouse.AssertFacts(First, Last);
        Assert.Empty(Query("select id from _sluice.job_runs where status = 'RUNNING'"));
        Assert.Equal(5 * 10, Query("select count(distinct job_name || cast(target_date as varchar)) from _sluice.job_runs where status = 'SUCCESS' and substr(job_name, 1, 5) = 'fact_'").Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)).Single());
    }

    protected override async Task PrepareAsync(AivoState state)
    {
        AivoProject.Example.Write(Temp.Path, csv: true);
        await AivoCsv.WriteAsync(Data, state);
    }

    protected override Task ApplyAsync(AivoState state, AivoChanges changes) => AivoCsv.WriteAsync(Data, state, changes);

    protected override List<object?[]> Query(string sql) => DbRows.QueryDuckDb(Path.Combine(Temp.Path, "aivo.duckdb"), sql);
}

/// <summary>
/// The product's PostgreSQL database into a PostgreSQL warehouse, as the seed runs; then a change
/// to one day's sessions in the product builds that day's partition again, and no other.
/// </summary>
public sealed partial class AivoPostgresTests : AivoPipelineTests
{
    private string _source = null!;
    private string _warehouse = null!;

    [Fact]
    public async Task Postgres_to_postgres_builds_the_seeds_star_schema_and_rebuilds_only_a_changed_day()
    {
        await RunPipelineAsync();

        // The sessions' measures, also computed by SQL on the product's tables.
        Assert.Equal(
            await SourceRowsAsync($"""
                select s.id, cast(extract(epoch from s.ended_at - s.started_at) as integer), count(distinct a.id),
                       count(distinct a.id) filter (where a.completed_at is not null), count(r.id), count(r.id) filter (where r.is_correct)
                from sessions as s
                left join activities as a on a.session_id = s.id
                left join responses as r on r.activity_id = a.id
                where s.started_at >= date '{Day(First)}' and s.started_at < date '{Day(Last.AddDays(1))}'
                group by s.id, s.started_at, s.ended_at
                order by s.id
                """),
            Query("select session_id, duration_seconds, activities_started, activities_completed, responses, correct_responses from warehouse.fact_sessions order by session_id")
                .Select(Line).ToList());

        // Two sessions of one day are corrected in the product: they ended a minute later.
        var day = First.AddDays(3);
        await using (var source = NpgsqlDataSource.Create(_source))
        {
            await using var update = source.CreateCommand($"""
                update sessions set ended_at = ended_at + interval '1 minute', updated_at = now() at time zone 'utc'
                where id in (select id from sessions where ended_at is not null and started_at >= date '{Day(day)}' and started_at < date '{Day(day.AddDays(1))}' order by id limit 2)
                """);
            Assert.Equal(2, await update.ExecuteNonQueryAsync());
        }

        await RunAsync("sync");
        await RunAsync("build", "--select", "tag:facts");

        Assert.Equal(
            [$"fact_sessions|{Day(day)}"],
            Query("""
                select job_name, target_date from _sluice.job_runs
                where status = 'SUCCESS' and invocation_id = (select invocation_id from _sluice.job_runs order by started_at desc limit 1)
                order by job_name, target_date
                """).Select(r => $"{r[0]}|{Day(r[1] is DateOnly date ? date : DateOnly.FromDateTime((DateTime)r[1]!))}"));

        // Its rows now hold the corrected durations, read from the product's table.
        var expected = new List<string>();
        await using (var source = NpgsqlDataSource.Create(_source))
        {
            await using var command = source.CreateCommand($"""
                select id, cast(extract(epoch from ended_at - started_at) as integer) from sessions
                where started_at >= date '{Day(day)}' and started_at < date '{Day(day.AddDays(1))}' order by id
                """);
            await using var reader = await command.ExecuteReaderAsync();
            expected.AddRange(Rows(reader).Select(r => $"{r[0]}|{r[1] ?? "NULL"}"));
        }

        Assert.Equal(
            expected,
            Query($"select session_id, duration_seconds from warehouse.fact_sessions where date_key = {Day(day).Replace("-", string.Empty, StringComparison.Ordinal)} order by session_id")
                .Select(r => $"{r[0]}|{r[1] ?? "NULL"}"));
    }

    private static string Line(object?[] row) => string.Join("|", row.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "NULL"));

    private async Task<List<string>> SourceRowsAsync(string sql)
    {
        await using var source = NpgsqlDataSource.Create(_source);
        await using var command = source.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        return [.. Rows(reader).Select(Line)];
    }

    protected override async Task PrepareAsync(AivoState state)
    {
        var server = await PostgresServer.GetAsync();
        var sourceUrl = await server.CreateDatabaseAsync("aivo_source");
        var warehouseUrl = await server.CreateDatabaseAsync("aivo_warehouse");
        _source = server.ConnectionString(new Uri(sourceUrl).AbsolutePath.TrimStart('/'));
        _warehouse = server.ConnectionString(new Uri(warehouseUrl).AbsolutePath.TrimStart('/'));
        AivoProject.Example.Write(Temp.Path, csv: false);
        var yml = Path.Combine(Temp.Path, "sluice.yml");
        File.WriteAllText(yml, DuckDbWarehouse().Replace(File.ReadAllText(yml), $"  type: postgres\n  url: {warehouseUrl}\n", 1));
        Environment[AivoProject.SourceUrlVariable] = sourceUrl;
        await using var source = NpgsqlDataSource.Create(_source);
        await AivoPostgres.LoadAsync(source, state);
    }

    protected override async Task ApplyAsync(AivoState state, AivoChanges changes)
    {
        await using var source = NpgsqlDataSource.Create(_source);
        await AivoPostgres.ApplyAsync(source, changes);
    }

    protected override List<object?[]> Query(string sql)
    {
        using var connection = new NpgsqlConnection(_warehouse);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        return Rows(reader);
    }

    [GeneratedRegex(@"  type: duckdb\n  path: [^\n]*\n")]
    private static partial Regex DuckDbWarehouse();
}
