using System.Globalization;
using Npgsql;
using Sluice.Demo;
using Sluice.Demo.Aivo;
using Sluice.Testing;

namespace Sluice.Cli.Tests;

/// <summary>
/// <c>sluice demo aivo</c> in a clean folder: the days replayed, the facts built, and the
/// warehouse checked against the generated rows (the SCD2 history, every fact column of every
/// day); run again, it has nothing new to do; with --source-url, from a PostgreSQL database.
/// </summary>
public sealed class AivoDemoTests : IDisposable
{
    private const int Days = 8;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Project => _temp.Combine("aivo");

    [Fact]
    public async Task Demo_aivo_replays_the_days_and_builds_the_star_schema_exactly()
    {
        var started = DateTime.UtcNow;
        var demo = await SluiceProcess.RunAsync(_temp.Path, "demo", "aivo", "--dir", Project, "--days", Days.ToString(CultureInfo.InvariantCulture), "--no-serve");

        Assert.True(demo.ExitCode == 0, demo.ToString());
        Assert.Contains("The facts, the last 7 days:", demo.Stdout);
        Assert.Matches(@"AIVO demo in [\d.]+s: [\d,]+ learners and [\d,]+ sessions in the warehouse, [\d,]+ dimension versions; .* ran \d+ check\(s\): \d+ passed, 0 warned, 0 failed", demo.Stdout);
        Assert.Contains($"Replaying {Days} day(s)", demo.Stderr);
        var record = DemoRecord.Read(Project)!;
        Assert.Equal(("aivo", Days), (record.Example, record.Last.DayNumber - record.First.DayNumber + 1));

        // The demo replays every day in one run: a delete's closing is that run's time.
        var state = AivoState.Build(record.Seed, record.First, record.Last);
        var warehouse = new AivoWarehouse(Query, state, time => time >= started ? "closed by the demo" : null, _ => "closed by the demo");
        warehouse.AssertDimensions();
        warehouse.AssertFacts(record.First, record.Last);

        // Again: the same folder, nothing new unless a UTC day has ended since.
        var again = await SluiceProcess.RunAsync(_temp.Path, "demo", "aivo", "--dir", Project, "--no-serve");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Using the AIVO project in", again.Stderr);

        // Another example's folder is refused.
        var other = await SluiceProcess.RunAsync(_temp.Path, "demo", "--dir", Project, "--no-serve");
        Assert.True(other.ExitCode == 2, other.ToString());
        Assert.Contains("holds the aivo demo; run `sluice demo aivo` there", other.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_aivo_with_a_source_url_generates_into_postgresql_and_syncs_from_it()
    {
        var server = await PostgresServer.GetAsync();
        var url = await server.CreateDatabaseAsync("aivo_demo_source");
        var started = DateTime.UtcNow;

        var demo = await SluiceProcess.RunAsync(_temp.Path, "demo", "aivo", "--dir", Project, "--days", "4", "--source-url", url, "--no-serve");

        Assert.True(demo.ExitCode == 0, demo.ToString());
        var record = DemoRecord.Read(Project)!;
        Assert.Equal(("aivo", "postgres"), (record.Example, record.Source));
        Assert.Contains($" into {url}.", demo.Stderr, StringComparison.Ordinal);
        var yml = File.ReadAllText(Path.Combine(Project, "sluice.yml"));
        Assert.Contains("${AIVO_OLTP_URL", yml, StringComparison.Ordinal);
        Assert.DoesNotContain(url, yml, StringComparison.Ordinal);
        var state = AivoState.Build(record.Seed, record.First, record.Last);
        await using (var source = NpgsqlDataSource.Create(server.ConnectionString(new Uri(url).AbsolutePath.TrimStart('/'))))
        {
            await using var count = source.CreateCommand("select count(*) from sessions");
            Assert.Equal((long)state.Rows(AivoTables.Sessions).Count, (long)(await count.ExecuteScalarAsync())!);
        }

        var warehouse = new AivoWarehouse(Query, state, time => time >= started ? "closed by the demo" : null, _ => "closed by the demo");
        warehouse.AssertDimensions();
        warehouse.AssertFacts(record.First, record.Last);
    }

    private List<object?[]> Query(string sql) => DbRows.QueryDuckDb(Path.Combine(Project, "aivo.duckdb"), sql);
}
