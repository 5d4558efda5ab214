using Sluice.Core.Project;
using Sluice.Operate.Retention;

namespace Sluice.Operate.Tests.Retention;

public sealed class RetentionReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-retention-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Without_a_retention_section_every_history_table_keeps_90_days()
    {
        var policy = Read("name: shop\n");

        Assert.All(HistoryTables.All, t => Assert.Equal(TimeSpan.FromDays(90), policy.LimitFor(t.Name)));
    }

    [Fact]
    public void Table_limits_win_over_the_default_and_forever_keeps_everything()
    {
        var policy = Read("""
            name: shop
            retention:
              default: forever
              job_runs: 365d
              check_results: 30d
              alert_events: 1d12h
              notifications: forever
            """);

        Assert.Equal(TimeSpan.FromDays(365), policy.LimitFor("job_runs"));
        Assert.Equal(TimeSpan.FromDays(30), policy.LimitFor("check_results"));
        Assert.Equal(TimeSpan.FromHours(36), policy.LimitFor("alert_events"));
        Assert.Null(policy.LimitFor("notifications"));
        Assert.Null(policy.LimitFor("sync_runs"));
        Assert.Equal("1d12h", RetentionPolicy.Describe(policy.LimitFor("alert_events")));
        Assert.Equal("forever", RetentionPolicy.Describe(policy.LimitFor("sync_runs")));
    }

    [Fact]
    public void An_empty_section_keeps_the_defaults()
    {
        var policy = Read("name: shop\nretention:\n");

        Assert.Equal(TimeSpan.FromDays(90), policy.LimitFor("sync_runs"));
    }

    [Theory]
    [InlineData("  job_run: 30d", "sluice.yml:3:3: unknown key 'job_run' in retention; the allowed keys are default, job_runs, sync_runs, check_results, parity_checks, schedule_runs, notifications, alert_events, alert_silences, query_budgets.")]
    [InlineData("  sync_state: 30d", "sluice.yml:3:3: retention cannot name sync_state: _sluice.sync_state holds state the pipeline depends on, which is never pruned; the keys are default, job_runs, sync_runs, check_results, parity_checks, schedule_runs, notifications, alert_events, alert_silences, query_budgets.")]
    [InlineData("  job_runs: ninety days", "sluice.yml:3:13: retention.job_runs must be a duration such as 30d, 12h or 2d12h, or forever, not 'ninety days'.")]
    [InlineData("  job_runs: 90", "sluice.yml:3:13: retention.job_runs must be a duration such as 30d, 12h or 2d12h, or forever, not '90'.")]
    [InlineData("  check_results: -5d", "sluice.yml:3:18: retention.check_results must be a duration such as 30d, 12h or 2d12h, or forever, not '-5d'.")]
    [InlineData("  default: 0d", "sluice.yml:3:12: retention.default is 0d, which would keep nothing; give a duration longer than zero, such as 30d, or forever to keep everything.")]
    [InlineData("  default: [30d]", "sluice.yml:3:12: retention.default must be a single value, not a list or mapping.")]
    public void Mistakes_are_errors_at_their_line_and_column(string line, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read($"name: shop\nretention:\n{line}\n"));

        Assert.Equal(expected, Relative(error.Message));
    }

    [Fact]
    public void A_retention_that_is_not_a_mapping_is_an_error_showing_one()
    {
        var error = Assert.Throws<ConfigurationException>(() => Read("name: shop\nretention: 90d\n"));

        Assert.StartsWith("sluice.yml:2:12: retention must be a mapping of history tables to how long their rows are kept, such as `retention: {default: 90d, job_runs: 365d}`", Relative(error.Message), StringComparison.Ordinal);
    }

    private RetentionPolicy Read(string yaml)
    {
        File.WriteAllText(Path.Combine(_directory, SluiceProject.FileName), yaml);
        return RetentionReader.Read(ProjectLoader.Load(_directory));
    }

    private string Relative(string message) => message.Replace(_directory + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal);
}
