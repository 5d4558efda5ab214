using Sluice.Operate.Alerts;

namespace Sluice.Operate.Tests;

public sealed class AlertWatchTests
{
    [Theory]
    [InlineData("run")]
    [InlineData("build")]
    [InlineData("backfill")]
    [InlineData("seed")]
    [InlineData("snapshot")]
    public void Every_command_that_adds_job_runs_has_the_job_run_rules_evaluated_after_it(string command)
    {
        var kinds = AlertWatch.KindsAfter([command]);
        Assert.Superset(new HashSet<string> { "job_duration", "job_failed", "job_rows", "schedule" }, kinds.ToHashSet());
    }

    [Fact]
    public void A_sync_or_a_test_leaves_the_job_run_rules_to_their_interval() =>
        Assert.DoesNotContain(AlertWatch.KindsAfter(["sync", "test", "parity"]), k => k.StartsWith("job_", StringComparison.Ordinal));
}
