using System.Globalization;
using Sluice.Demo;
using Sluice.Demo.Teei;

namespace Sluice.Cli.Tests;

/// <summary>
/// <c>sluice demo teei</c> in a clean folder: the platform's tables generated as CSV files, synced,
/// built and checked, every generated row in the warehouse; run again, it reuses the folder, and
/// another example is refused there.
/// </summary>
public sealed class TeeiDemoTests : IDisposable
{
    private const int Days = 6;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Project => _temp.Combine("teei");

    [Fact]
    public async Task Demo_teei_generates_syncs_builds_and_checks_every_row()
    {
        var demo = await SluiceProcess.RunAsync(_temp.Path, "demo", "teei", "--dir", Project, "--days", Days.ToString(CultureInfo.InvariantCulture), "--no-serve");

        Assert.True(demo.ExitCode == 0, demo.ToString());
        Assert.Contains("Outcome scores and program steps, the last 7 days:", demo.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"TEEI demo in [\d.]+s: [\d,]+ companies, [\d,]+ outcome scores and [\d,]+ program enrollments in the warehouse; the last build built 7 resource\(s\) \(0 failed\) and ran \d+ check\(s\): \d+ passed, 0 warned, 0 failed", demo.Stdout);
        var record = DemoRecord.Read(Project)!;
        Assert.Equal(("teei", "csv", Days), (record.Example, record.Source, record.Last.DayNumber - record.First.DayNumber + 1));
        Assert.Contains("type: csv", File.ReadAllText(Path.Combine(Project, "sluice.yml")), StringComparison.Ordinal);

        // Every generated row is in the warehouse, and every score of the days in the fact.
        var state = TeeiState.Build(record.Seed, record.First, record.Last);
        foreach (var table in TeeiTables.All)
        {
            Assert.Equal(
                state.Rows(table).Select(r => r.Key).Order().ToList(),
                Query($"select id from raw.platform__{table.Name} where _sluice_deleted_at is null order by id").Select(r => (Guid)r[0]!).ToList());
        }

        var scores = state.Rows<TeeiScoreRow>(TeeiTables.Scores).ToList();
        Assert.Equal(scores.Sum(s => s.Score), decimal.Parse((string)Query("select cast(sum(score) as varchar) from marts.fct_outcome_scores")[0][0]!, CultureInfo.InvariantCulture));
        Assert.Equal((long)scores.Count, Convert.ToInt64(Query("select count(*) from marts.fct_outcome_scores")[0][0], CultureInfo.InvariantCulture));

        // Again: the same folder is reused; the default example is refused there.
        var again = await SluiceProcess.RunAsync(_temp.Path, "demo", "teei", "--dir", Project, "--no-serve");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Using the TEEI project in", again.Stderr, StringComparison.Ordinal);
        var other = await SluiceProcess.RunAsync(_temp.Path, "demo", "--dir", Project, "--no-serve");
        Assert.True(other.ExitCode == 2, other.ToString());
        Assert.Contains("holds the teei demo; run `sluice demo teei` there", other.Stderr, StringComparison.Ordinal);
    }

    private List<object?[]> Query(string sql) => DbRows.QueryDuckDb(Path.Combine(Project, "teei.duckdb"), sql);
}
