using System.Globalization;
using Npgsql;
using Sluice.Demo;
using Sluice.Demo.ApplyLens;
using Sluice.DuckDb;
using Sluice.Testing;

namespace Sluice.Cli.Tests;

/// <summary>
/// <c>sluice demo --source-url</c> on a throwaway PostgreSQL database: the demo generates the
/// ApplyLens tables there and syncs from them, not from CSV files. Rows that only the database
/// holds, added by the test between runs, reach the warehouse and the marts: through the demo run
/// again, and through a <c>sluice sync</c> by hand that finds the database in
/// <c>APPLYLENS_SOURCE_URL</c>, as sluice.yml reads it.
/// </summary>
public sealed class DemoPostgresSourceTests : IDisposable
{
    private const string ProbeSender = "probe@only-in-postgres.example";
    private const string ProbeCompany = "Only In PostgreSQL Ltd";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Project => _temp.Combine("demo");

    [Fact]
    public async Task Demo_with_a_source_url_syncs_from_that_database_and_sync_by_hand_finds_it_in_applylens_source_url()
    {
        var server = await PostgresServer.GetAsync();
        var url = await server.CreateDatabaseAsync("demo_source");
        var source = server.ConnectionString(new Uri(url).AbsolutePath.TrimStart('/'));

        var first = await SluiceProcess.RunAsync(_temp.Path, "demo", "--dir", Project, "--days", "4", "--source-url", url, "--no-serve");

        Assert.True(first.ExitCode == 0, first.ToString());
        var record = DemoRecord.Read(Project)!;
        Assert.Equal("postgres", record.Source);
        Assert.Contains($" into {url}.", first.Stderr, StringComparison.Ordinal);
        Assert.Equal(["demo.json"], Directory.GetFiles(Path.Combine(Project, ApplyLensProject.DataFolder)).Select(Path.GetFileName));
        var yml = File.ReadAllText(Path.Combine(Project, "sluice.yml"));
        Assert.Contains("${APPLYLENS_SOURCE_URL", yml, StringComparison.Ordinal);
        Assert.DoesNotContain(url, yml, StringComparison.Ordinal);
        var state = ApplyLensState.Build(record.Seed, record.First, record.Last);
        Assert.Equal(state.Emails.Count, await SourceCountAsync(source, "emails"));
        Assert.Equal(state.Emails.Count, Scalar("select count(*) from raw.app__emails where _sluice_deleted_at is null"));

        // Mail that only the database holds, received on the last day the demo generated.
        var probeDay = record.Last;
        await ExecuteAsync(
            source,
            $"insert into emails (id, received_at, sender, subject, risk_score, category, expires_at, features_json, updated_at) "
            + $"values (-7, timestamp '{Day(probeDay)} 12:00:00', '{ProbeSender}', 'Only in PostgreSQL', 42, 'personal', null, null, now() at time zone 'utc')");

        var again = await SluiceProcess.RunAsync(_temp.Path, "demo", "--dir", Project, "--source-url", url, "--no-serve");

        Assert.True(again.ExitCode == 0, again.ToString());
        record = DemoRecord.Read(Project)!;
        state = ApplyLensState.Build(record.Seed, record.First, record.Last);
        Assert.Equal(1, Scalar($"select count(*) from raw.app__emails where sender = '{ProbeSender}' and id = -7 and _sluice_deleted_at is null"));
        var generatedThatDay = state.Emails.Count(e => DateOnly.FromDateTime(e.ReceivedAt) == probeDay);
        Assert.Equal(generatedThatDay + 1, Scalar($"select emails from marts.mrt_risk_daily where d = date '{Day(probeDay)}'"));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $": {state.Emails.Count + 1:N0} emails and "), again.Stdout, StringComparison.Ordinal);

        // By hand: sluice.yml reads the database's URL from the environment.
        await ExecuteAsync(
            source,
            "insert into applications (id, company, role, source, created_at, status, updated_at) "
            + $"values (-8, '{ProbeCompany}', 'Analyst', 'probe', timestamp '{Day(probeDay)} 09:00:00', 'applied', now() at time zone 'utc')");
        SluiceResult withoutUrl;
        await using (var unset = RunningSluice.Start(Project, ["sync"], new Dictionary<string, string?> { [ApplyLensProject.SourceUrlVariable] = null }))
        {
            withoutUrl = await unset.WaitAsync();
        }

        var sync = await SluiceProcess.RunAsync(Project, ["sync"], null, new Dictionary<string, string?> { [ApplyLensProject.SourceUrlVariable] = url });

        Assert.True(withoutUrl.ExitCode != 0, withoutUrl.ToString());
        Assert.Contains("(postgres://analytics_ro@localhost:5432/applylens)", withoutUrl.Stderr, StringComparison.Ordinal);
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Equal(1, Scalar($"select count(*) from raw.app__applications where company = '{ProbeCompany}' and id = -8"));
        Assert.Equal(state.Applications.Count + 1, Scalar("select count(*) from raw.app__applications where _sluice_deleted_at is null"));
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> SourceCountAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // Reads the demo's warehouse file once the demo has exited and let go of it.
    private long Scalar(string sql)
    {
        using var connection = new DuckDbConnection($"Data Source={Path.Combine(Project, "warehouse.duckdb")};access_mode=READ_ONLY");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
