using Sluice.Core.Project;
using Sluice.Operate.Alerts;

namespace Sluice.Operate.Tests;

public sealed class AlertsReaderTests : IDisposable
{
    private static readonly AlertReferences Known = new(
        Metrics: new HashSet<string> { "applications", "risk_score_avg" },
        Models: new HashSet<string> { "mrt_risk_daily", "stg_emails" },
        Schedules: new HashSet<string> { "nightly", "sync-hourly" },
        Tables: new HashSet<string> { "app.emails", "app.applications" },
        Channels: new HashSet<string> { "ops", "oncall" });

    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-alerts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Every_kind_of_rule_is_read_with_the_files_defaults()
    {
        var rules = Read("""
            defaults: {channels: [ops], every: 10m, renotify: 4h}
            rules:
              - name: parity-drift
                severity: critical
                parity: {table: app.emails, max_ratio: 0.005}
                for: 2
                description: More than 0.5% of the synced emails differ from the source.
              - {name: backfill-slo, job_duration: {jobs: ["mrt_*"], p95_above: 300s}, channels: oncall, renotify: 1h}
              - {name: checks, check_failed: {checks: ["not_null_*"], warnings: true}}
              - {name: any-check, check_failed: }
              - {name: risk-drop, metric: {name: risk_score_avg, change_below: 20, grain: week}}
              - {name: marts-late, partition_late: {model: mrt_risk_daily, deadline: "06:30", timezone: Europe/Berlin}}
              - {name: emails-fresh, freshness: {table: app.emails, max_age: 2h}, every: 1m}
              - {name: lag, sync_lag: {max_lag: 30m}, enabled: false}
              - {name: nightly, schedule: {name: nightly, on: failed}}
              - {name: schedules, schedule: }
            """);

        Assert.Equal(
            ["parity-drift", "backfill-slo", "checks", "any-check", "risk-drop", "marts-late", "emails-fresh", "lag", "nightly", "schedules"],
            rules.Select(r => r.Name));
        var parity = rules[0];
        Assert.Equal(new ParityCondition("app.emails", 0.005), parity.Condition);
        Assert.Equal((AlertSeverity.Critical, 2, TimeSpan.FromMinutes(10), TimeSpan.FromHours(4)), (parity.Severity, parity.For, parity.Every, parity.Renotify));
        Assert.Equal(["ops"], parity.Channels);
        Assert.StartsWith("More than 0.5%", parity.Description);
        Assert.Equal(3, parity.Line);

        var slo = Assert.IsType<JobDurationCondition>(rules[1].Condition);
        Assert.Equal(["mrt_*"], slo.Jobs);
        Assert.Equal((TimeSpan.FromSeconds(300), TimeSpan.FromDays(7)), (slo.P95Above, slo.Window));
        Assert.Equal(["oncall"], rules[1].Channels);
        Assert.Equal((TimeSpan.FromHours(1), AlertSeverity.Warning, 1), (rules[1].Renotify, rules[1].Severity, rules[1].For));
        var checks = Assert.IsType<CheckFailedCondition>(rules[2].Condition);
        Assert.Equal(["not_null_*"], checks.Checks);
        Assert.True(checks.IncludeWarnings);
        var anyCheck = Assert.IsType<CheckFailedCondition>(rules[3].Condition);
        Assert.Empty(anyCheck.Checks);
        Assert.False(anyCheck.IncludeWarnings);
        Assert.Equal(new MetricCondition("risk_score_avg", MetricComparison.ChangeBelow, 20, "week"), rules[4].Condition);
        var late = Assert.IsType<PartitionLateCondition>(rules[5].Condition);
        Assert.Equal(("mrt_risk_daily", new TimeOnly(6, 30), "Europe/Berlin"), (late.Model, late.Deadline, late.Zone.Id));
        Assert.Equal((new FreshnessCondition("app.emails", TimeSpan.FromHours(2)), TimeSpan.FromMinutes(1)), (rules[6].Condition, rules[6].Every));
        Assert.Equal((new SyncLagCondition(null, TimeSpan.FromMinutes(30)), false), (rules[7].Condition, rules[7].Enabled));
        Assert.Equal(new ScheduleCondition("nightly", true, false, TimeSpan.FromMinutes(15)), rules[8].Condition);
        Assert.Equal(new ScheduleCondition(null, true, true, TimeSpan.FromMinutes(15)), rules[9].Condition);
    }

    [Fact]
    public void Job_failed_and_job_rows_are_read_with_their_defaults()
    {
        var rules = Read("""
            rules:
              - {name: failed, job_failed: {jobs: ["mrt_*", stg_emails], window: 12h}}
              - {name: any-failed, job_failed: }
              - name: rows
                job_rows: {jobs: "mrt_*", drop_above: 50, window: 14d, min_runs: 5}
              - {name: rows-defaults, job_rows: {drop_above: 12.5}}
            """);

        var failed = Assert.IsType<JobFailedCondition>(rules[0].Condition);
        Assert.Equal(["mrt_*", "stg_emails"], failed.Jobs);
        Assert.Equal(TimeSpan.FromHours(12), failed.Window);
        var any = Assert.IsType<JobFailedCondition>(rules[1].Condition);
        Assert.Empty(any.Jobs);
        Assert.Equal(TimeSpan.FromHours(24), any.Window);
        var rows = Assert.IsType<JobRowsCondition>(rules[2].Condition);
        Assert.Equal(["mrt_*"], rows.Jobs);
        Assert.Equal((50.0, TimeSpan.FromDays(14), 5), (rows.DropAbove, rows.Window, rows.MinRuns));
        Assert.Equal(4, rules[2].Line);
        var defaults = Assert.IsType<JobRowsCondition>(rules[3].Condition);
        Assert.Empty(defaults.Jobs);
        Assert.Equal((12.5, TimeSpan.FromDays(7), 3), (defaults.DropAbove, defaults.Window, defaults.MinRuns));
        Assert.Equal(("job_failed", "job_rows"), (rules[0].Condition.Kind, rules[2].Condition.Kind));
    }

    [Fact]
    public void A_project_without_alerts_yml_has_no_rules() =>
        Assert.Empty(AlertsReader.Read(_directory, Known));

    [Theory]
    [InlineData("  - {name: a, metric: {name: signups, above: 5}}", "there is no metric 'signups' in metrics.yml; there are applications, risk_score_avg")]
    [InlineData("  - {name: a, metric: {name: applications, above: 5, below: 1}}", "needs exactly one of above, below, change_above or change_below")]
    [InlineData("  - {name: a, metric: {name: applications, change_above: -5}}", "is a change in percent and must be above 0")]
    [InlineData("  - {name: a, metric: {name: applications, above: lots}}", "metric.above must be a number, not 'lots'")]
    [InlineData("  - {name: a, partition_late: {model: mrt_risky, deadline: \"06:00\"}}", "there is no model 'mrt_risky' in the project")]
    [InlineData("  - {name: a, partition_late: {model: mrt_risk_daily, deadline: \"6am\"}}", "deadline must be a time of day such as \"06:00\", not '6am'")]
    [InlineData("  - {name: a, partition_late: {model: mrt_risk_daily, deadline: \"06:00\", timezone: Moon/Base}}", "unknown time zone 'Moon/Base'")]
    [InlineData("  - {name: a, freshness: {table: emails, max_age: 2h}}", "there is no synced table 'emails'; write source.table")]
    [InlineData("  - {name: a, freshness: {table: app.emails, max_age: two hours}}", "max_age must be a duration")]
    [InlineData("  - {name: a, parity: {max_ratio: 5}}", "max_ratio must be a fraction from 0 to 1")]
    [InlineData("  - {name: a, sync_lag: {table: app.emails}}", "needs max_lag, such as `max_lag: 30m`")]
    [InlineData("  - {name: a, schedule: {name: weekly}}", "there is no schedule 'weekly' in sluice.yml")]
    [InlineData("  - {name: a, schedule: {on: [late]}}", "on takes failed and missed, not 'late'")]
    [InlineData("  - {name: a, job_duration: {jobs: [mrt_risk_dayly], p95_above: 300s}}", "job_duration.jobs: 'mrt_risk_dayly' matches no model, seed or snapshot")]
    [InlineData("  - {name: a, job_failed: {jobs: [mrt_*], since: 1d}}", "unknown key 'since'")]
    [InlineData("  - {name: a, job_failed: {window: a day}}", "job_failed.window must be a duration such as 30m, 24h or 7d, not 'a day'")]
    [InlineData("  - {name: a, job_failed: {jobs: [stg_emails, fct_*]}}", "job_failed.jobs: 'fct_*' matches no model, seed or snapshot of the project")]
    [InlineData("  - {name: a, job_rows: {jobs: [mrt_*]}}", "needs drop_above, the drop in percent of the median rows processed")]
    [InlineData("  - {name: a, job_rows: {drop_above: half}}", "job_rows.drop_above must be a number, not 'half'")]
    [InlineData("  - {name: a, job_rows: {drop_above: -20}}", "job_rows.drop_above is a drop in percent of the median and must be above 0 and below 100, such as 50, not -20")]
    [InlineData("  - {name: a, job_rows: {drop_above: 100}}", "must be above 0 and below 100")]
    [InlineData("  - {name: a, job_rows: {drop_above: 50, window: -7d}}", "job_rows.window must be a duration")]
    [InlineData("  - {name: a, job_rows: {drop_above: 50, min_runs: 0}}", "job_rows.min_runs must be between 1 and 1000, not 0")]
    [InlineData("  - {name: a, job_rows: {drop_above: 50, min_runs: few}}", "job_rows.min_runs must be a whole number, not 'few'")]
    [InlineData("  - {name: a, job_rows: {drop_above: 50, jobs: fct_orders}}", "'fct_orders' matches no model, seed or snapshot")]
    [InlineData("  - {name: a, check_failed: , channels: [pager]}", "there is no notification channel 'pager'; the channels are oncall, ops")]
    [InlineData("  - {name: a, check_failed: , severity: high}", "severity must be info, warning or critical, not 'high'")]
    [InlineData("  - {name: a, check_failed: , for: 0}", "for must be between 1 and 1000")]
    [InlineData("  - {name: a, check_failed: , parity: {max_ratio: 0.1}}", "needs exactly one condition")]
    [InlineData("  - {name: a, severity: info}", "needs exactly one condition, one of metric, check_failed")]
    [InlineData("  - {name: a, check_failed: , when: always}", "unknown key 'when' in a rule")]
    [InlineData("  - {check_failed: }", "a rule needs a name")]
    public void A_bad_rule_is_an_error_at_its_line(string rule, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read("rules:\n" + rule + "\n"));
        Assert.StartsWith($"{Path.Combine(_directory, "alerts.yml")}:2:", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_rule_name_used_twice_names_both_lines()
    {
        var error = Assert.Throws<ConfigurationException>(() => Read("rules:\n  - {name: a, check_failed: }\n  - {name: a, parity: {max_ratio: 0.1}}\n"));
        Assert.Contains("alerts.yml:3:", error.Message);
        Assert.Contains("the rule name 'a' is used twice (also on line 2)", error.Message);
    }

    private IReadOnlyList<AlertRule> Read(string yaml)
    {
        File.WriteAllText(Path.Combine(_directory, "alerts.yml"), yaml);
        return AlertsReader.Read(_directory, Known);
    }
}
