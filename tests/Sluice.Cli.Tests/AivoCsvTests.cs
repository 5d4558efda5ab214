using Sluice.Demo;
using Sluice.Demo.Aivo;
using Sluice.DuckDb;

namespace Sluice.Cli.Tests;

/// <summary>
/// The AIVO example from generated CSV files into the embedded DuckDB warehouse, as its schedules
/// run it: the dimensions synced and snapshotted after each day, then the facts built for the
/// range, with their checks. The SCD2 history equals the changes the generator made, every fact
/// column of every day equals what the test computes from the generated rows, and the seed's
/// monitoring queries run unchanged on etl_job_runs. A run again changes nothing; --force
/// rebuilds the same tables.
/// </summary>
public sealed class AivoCsvTests : IDisposable
{
    private const long Seed = 11;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Csv_files_to_duckdb_build_the_seeds_star_schema_exactly()
    {
        var last = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var first = last.AddDays(-9);
        AivoProject.Example.Write(_temp.Path, csv: true);
        var data = Path.Combine(_temp.Path, ExampleProject.DataFolder);

        // The product before the first day, snapshotted; then a day at a time.
        var state = AivoState.Build(Seed, first, first.AddDays(-1), AivoScale.Small);
        await AivoCsv.WriteAsync(data, state);
        await RunAsync("sync");
        await RunAsync("build", "--select", "tag:dims");
        var closings = new Dictionary<DateOnly, (DateTime, DateTime)>();
        while (state.Last < last)
        {
            var changes = state.Advance();
            await AivoCsv.WriteAsync(data, state, changes);
            await RunAsync("sync");
            var started = DateTime.UtcNow;
            await RunAsync("build", "--select", "tag:dims");
            closings[state.Last] = (started, DateTime.UtcNow);
        }

        await RunAsync("build", "--from", Day(first), "--to", Day(last));

        var warehouse = new AivoWarehouse(Query, state, closings);
        warehouse.AssertDimensions();
        warehouse.AssertFacts(first, last);

        // The seed's two monitoring queries, word for word.
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
        Assert.All(recent, r => Assert.Matches("^(sync_dim_(tenant|learner|user|subject|skill)|build_fact_(sessions|focus_events|homework_events|learning_progress|recommendation_events))$", (string)r[0]!));
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
        Assert.Equal(0L, daily.Sum(r => Convert.ToInt64(r[2], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal((5 * 12) + (5 * 10), daily.Sum(r => Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture)));

        // The same day again changes nothing; forced, it is built again to the same rows.
        var before = warehouse.Dump();
        await RunAsync("build", "--date", Day(last));
        Assert.Equal(before, warehouse.Dump());
        await RunAsync("build", "--date", Day(last), "--force");
        Assert.Equal(before, warehouse.Dump());
        warehouse.AssertFacts(first, last);
    }

    private async Task RunAsync(params string[] arguments)
    {
        var result = await SluiceProcess.RunAsync(_temp.Path, arguments);
        Assert.True(result.ExitCode == 0, $"sluice {string.Join(' ', arguments)}: {result}");
    }

    private List<object?[]> Query(string sql)
    {
        using var connection = new DuckDbConnection($"Data Source={Path.Combine(_temp.Path, "aivo.duckdb")};access_mode=READ_ONLY");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
