using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Sluice.Demo;
using Sluice.Demo.ApplyLens;
using Sluice.DuckDb;

namespace Sluice.Cli.Tests;

/// <summary>
/// <c>sluice demo</c> in a clean folder, and the ApplyLens marts checked column by column, day by
/// day, against figures computed here from the generated rows (not through the models' SQL); then
/// a further day of changes with deletes, after which only the days it touched are built again.
/// </summary>
public class DemoTests : IDisposable
{
    private const int Days = 21;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Project => _temp.Combine("demo");

    [Fact]
    public async Task Demo_builds_the_applylens_marts_from_csv_and_a_day_of_changes_rebuilds_exactly_its_partitions()
    {
        var started = DateTime.UtcNow;
        var demo = await SluiceProcess.RunAsync(_temp.Path, "demo", "--dir", Project, "--days", Days.ToString(CultureInfo.InvariantCulture), "--no-serve");

        Assert.True(demo.ExitCode == 0, demo.ToString());
        Assert.Contains("mrt_risk_daily, the last 7 days:", demo.Stdout);
        Assert.Matches(@"ran \d+ check\(s\): \d+ passed, 0 warned, 0 failed", demo.Stdout);
        var record = DemoRecord.Read(Project)!;
        Assert.Equal(Days, record.Last.DayNumber - record.First.DayNumber + 1);
        var state = ApplyLensState.Build(record.Seed, record.First, record.Last);
        var marts = new ApplyLensMarts(Query);
        marts.AssertRiskDaily(state);
        marts.AssertApplications(state);
        marts.AssertBackfillSlo();
        marts.AssertParityDrift(state, started);

        // Run again: nothing new, so no partition is built; unless a UTC day ended since the first
        // run, and the demo generated it: then exactly the partitions its data touched are.
        var again = await SluiceProcess.RunAsync(_temp.Path, "demo", "--dir", Project, "--no-serve");
        Assert.True(again.ExitCode == 0, again.ToString());
        var rebuilt = new HashSet<DateOnly>();
        while (state.Last < DemoRecord.Read(Project)!.Last)
        {
            var (added, changed) = state.Advance();
            rebuilt.UnionWith(ApplyLensMarts.DaysTouched(added, changed));
        }

        Assert.Equal(rebuilt.Order(), PartitionsOfLatestBuild());

        // Days pass: new mail, rescored and purged mail of earlier days (until some is purged).
        var touched = new HashSet<DateOnly>();
        var deleted = 0;
        var firstAdded = state.Last.AddDays(1);
        while (deleted == 0)
        {
            var (added, changed) = state.Advance();
            deleted += changed.DeletedEmails.Count;
            touched.UnionWith(ApplyLensMarts.DaysTouched(added, changed));
            Assert.True(state.Last < firstAdded.AddDays(30), "30 days passed without a purge of high-risk mail");
        }

        await ApplyLensCsv.WriteAsync(Path.Combine(Project, ApplyLensProject.DataFolder), state);
        var syncStarted = DateTime.UtcNow;
        var sync = await SluiceProcess.RunAsync(Project, "sync");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        var build = await SluiceProcess.RunAsync(Project, "build", "--from", ApplyLensMarts.Day(firstAdded), "--to", ApplyLensMarts.Day(state.Last));
        Assert.True(build.ExitCode == 0, build.ToString());

        Assert.Equal(touched.Order(), PartitionsOfLatestBuild());
        marts.AssertRiskDaily(state);
        marts.AssertApplications(state);
        marts.AssertParityDrift(state, syncStarted);
    }

    [Fact]
    public async Task Demo_serves_the_metrics_api_with_the_marts_until_stopped()
    {
        Directory.CreateDirectory(Project);
        await using var served = await ServedProcess.StartAsync(
            _temp.Path, ["demo", "--dir", Project, "--days", "10"], Path.Combine(Project, "warehouse.duckdb.serving"), TimeSpan.FromMinutes(10));
        var record = DemoRecord.Read(Project)!;
        var state = ApplyLensState.Build(record.Seed, record.First, record.Last);
        using var client = new HttpClient { BaseAddress = served.Url };

        var trend = await client.GetFromJsonAsync<JsonElement>($"api/v1/metrics/email_volume/trend?granularity=day&from={ApplyLensMarts.Day(record.First)}&to={ApplyLensMarts.Day(record.Last)}");

        var expected = state.Emails.GroupBy(e => ApplyLensMarts.Day(DateOnly.FromDateTime(e.ReceivedAt))).ToDictionary(g => g.Key, g => (long)g.Count());
        var periods = trend.GetProperty("periods").EnumerateArray().ToDictionary(p => p.GetProperty("period").GetString()!, p => p.GetProperty("value").GetInt64());
        Assert.Equal(expected.OrderBy(p => p.Key), periods.OrderBy(p => p.Key));
        var week = await client.GetFromJsonAsync<JsonElement>($"api/v1/metrics/email_volume/trend?granularity=total&from={ApplyLensMarts.Day(record.Last.AddDays(-6))}&to={ApplyLensMarts.Day(record.Last)}");
        var lastWeek = state.Emails.Count(e => DateOnly.FromDateTime(e.ReceivedAt) > record.Last.AddDays(-7));
        Assert.Equal(lastWeek, Assert.Single(week.GetProperty("periods").EnumerateArray()).GetProperty("value").GetInt64());
        var rows = await client.GetFromJsonAsync<JsonElement>("api/v1/models/mrt_parity_drift/rows?slo_status=healthy&limit=1000");
        Assert.Equal(10, rows.GetProperty("total").GetInt64());

        await served.StopAsync();
        Assert.Equal(0, served.ExitCode);
        Assert.Contains($"Serving the metrics API on {served.Url.ToString().TrimEnd('/')}", await served.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_refuses_a_folder_holding_another_project_and_bad_options_with_exit_2()
    {
        Directory.CreateDirectory(Project);
        File.WriteAllText(Path.Combine(Project, "sluice.yml"), "name: mine\n");

        var other = await SluiceProcess.RunAsync(_temp.Path, "demo", "--dir", Project, "--no-serve");
        var days = await SluiceProcess.RunAsync(_temp.Path, "demo", "--dir", _temp.Combine("fresh"), "--days", "0", "--no-serve");
        var port = await SluiceProcess.RunAsync(_temp.Path, "demo", "--dir", _temp.Combine("fresh"), "--port", "70000");

        Assert.True(other.ExitCode == 2, other.ToString());
        Assert.Contains($"error: {Project} holds a Sluice project that is not the demo; give another --dir.", other.Stderr, StringComparison.Ordinal);
        Assert.Equal("name: mine\n", File.ReadAllText(Path.Combine(Project, "sluice.yml")));
        Assert.True(days.ExitCode == 2, days.ToString());
        Assert.Contains("--days must be between 1 and 3660.", days.Stderr, StringComparison.Ordinal);
        Assert.True(port.ExitCode == 2, port.ToString());
        Assert.Contains("--port 70000 is not a port", port.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("fresh")));
    }

    private List<DateOnly> PartitionsOfLatestBuild() => new ApplyLensMarts(Query).PartitionsOfLatestBuild();

    private List<object?[]> Query(string sql)
    {
        using var connection = new DuckDbConnection($"Data Source={Path.Combine(Project, "warehouse.duckdb")};access_mode=READ_ONLY");
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
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) is DateTime t && reader.GetFieldType(i) == typeof(DateOnly) ? DateOnly.FromDateTime(t) : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

}
