using Npgsql;
using Sluice.Demo.ApplyLens;
using Sluice.Testing;

namespace Sluice.Cli.Tests;

/// <summary>
/// The ApplyLens example from a PostgreSQL source into a PostgreSQL warehouse: sync with parity
/// and delete reconciliation, build, and every mart column checked per day against the generated
/// rows; then days of changes with purges, after which exactly the touched partitions are built
/// again and parity is still exact.
/// </summary>
public class ApplyLensPostgresTests : IDisposable
{
    private const long Seed = 7;

    private readonly TempDirectory _temp = new();
    private string _warehouse = null!;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Postgres_source_to_postgres_warehouse_builds_exact_marts_and_rebuilds_only_touched_days()
    {
        var server = await PostgresServer.GetAsync();
        var sourceUrl = await server.CreateDatabaseAsync("applylens_source");
        var warehouseUrl = await server.CreateDatabaseAsync("applylens_warehouse");
        _warehouse = ConnectionStringOf(server, warehouseUrl);
        ApplyLensProject.Write(_temp.Path, csv: false);
        var yml = Path.Combine(_temp.Path, "sluice.yml");
        File.WriteAllText(yml, File.ReadAllText(yml).Replace("  type: duckdb\n  path: warehouse.duckdb\n", $"  type: postgres\n  url: {warehouseUrl}\n", StringComparison.Ordinal));
        var environment = new Dictionary<string, string?> { [ApplyLensProject.SourceUrlVariable] = sourceUrl };

        var last = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var first = last.AddDays(-17);
        var state = ApplyLensState.Build(Seed, first, last);
        await using (var source = NpgsqlDataSource.Create(ConnectionStringOf(server, sourceUrl)))
        {
            await ApplyLensPostgres.LoadAsync(source, state);
        }

        var syncStarted = DateTime.UtcNow;
        await RunAsync(environment, "sync");
        await RunAsync(environment, "build", "--from", ApplyLensMarts.Day(first), "--to", ApplyLensMarts.Day(last));
        var marts = new ApplyLensMarts(Query);
        marts.AssertRiskDaily(state);
        marts.AssertApplications(state);
        marts.AssertBackfillSlo();
        marts.AssertParityDrift(state, syncStarted);

        // Days pass in the product's database: new mail, rescoring, purges, applications moving on.
        var touched = new HashSet<DateOnly>();
        var deleted = 0;
        var firstAdded = last.AddDays(1);
        await using (var source = NpgsqlDataSource.Create(ConnectionStringOf(server, sourceUrl)))
        {
            while (deleted == 0)
            {
                var (added, changed) = state.Advance();
                deleted += changed.DeletedEmails.Count;
                touched.UnionWith(ApplyLensMarts.DaysTouched(added, changed));
                await ApplyLensPostgres.ApplyAsync(source, added, changed);
                Assert.True(state.Last < firstAdded.AddDays(30), "30 days passed without a purge of high-risk mail");
            }
        }

        syncStarted = DateTime.UtcNow;
        await RunAsync(environment, "sync");
        await RunAsync(environment, "build", "--from", ApplyLensMarts.Day(firstAdded), "--to", ApplyLensMarts.Day(state.Last));

        Assert.Equal(touched.Order(), marts.PartitionsOfLatestBuild());
        marts.AssertRiskDaily(state);
        marts.AssertApplications(state);
        marts.AssertBackfillSlo();
        marts.AssertParityDrift(state, syncStarted);
    }

    private async Task RunAsync(Dictionary<string, string?> environment, params string[] arguments)
    {
        var result = await SluiceProcess.RunAsync(_temp.Path, arguments, standardInput: null, environment);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private List<object?[]> Query(string sql)
    {
        using var connection = new NpgsqlConnection(_warehouse);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetDataTypeName(i) == "date" ? reader.GetFieldValue<DateOnly>(i) : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static string ConnectionStringOf(PostgresServer server, string url) =>
        server.ConnectionString(new Uri(url).AbsolutePath.TrimStart('/'));
}
