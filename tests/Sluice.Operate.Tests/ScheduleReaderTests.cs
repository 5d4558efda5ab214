using Sluice.Core.Project;
using Sluice.Operate.Schedules;

namespace Sluice.Operate.Tests;

public sealed class ScheduleReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-schedules-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Schedules_are_read_with_their_zone_commands_and_retry_settings()
    {
        var schedules = Read("""
            schedules:
              - name: sync-hourly
                cron: "@hourly"
                command: sync
              - name: nightly
                cron: "15 3 * * *"
                timezone: Europe/Berlin
                command:
                  - build --select "tag:nightly" marts
                  - sluice backfill --select mart_daily --from today-7 --to=yesterday
                timeout: 45m
                retries: 2
                retry_delay: 30s
                enabled: false
            """);

        Assert.Equal(["sync-hourly", "nightly"], schedules.Select(s => s.Name));
        var hourly = schedules[0];
        Assert.Equal(TimeZoneInfo.Utc, hourly.Zone);
        Assert.Equal(["sync"], hourly.Steps.Select(s => s.Text));
        Assert.Null(hourly.Timeout);
        Assert.Equal(0, hourly.Retries);
        Assert.True(hourly.Enabled);
        Assert.Equal(2, hourly.Line);

        var nightly = schedules[1];
        Assert.Equal("Europe/Berlin", nightly.Zone.Id);
        Assert.Equal("build", nightly.Steps[0].Command);
        Assert.Equal(["--select", "tag:nightly", "marts"], nightly.Steps[0].Arguments);
        Assert.Equal("backfill", nightly.Steps[1].Command);
        Assert.Equal(TimeSpan.FromMinutes(45), nightly.Timeout);
        Assert.Equal(2, nightly.Retries);
        Assert.Equal(TimeSpan.FromSeconds(30), nightly.DelayBeforeRetry(1));
        Assert.Equal(TimeSpan.FromSeconds(60), nightly.DelayBeforeRetry(2));
        Assert.False(nightly.Enabled);
        Assert.Null(nightly.NextAfter(DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Relative_days_are_counted_from_the_day_of_the_run()
    {
        var step = Read("""
            schedules:
              - {name: week, cron: "0 4 * * *", command: "backfill --select m --from today-7 --to=yesterday --date today+1"}
            """)[0].Steps[0];

        Assert.Equal(
            ["--select", "m", "--from", "2026-02-24", "--to=2026-03-02", "--date", "2026-03-04"],
            step.ArgumentsOn(new DateOnly(2026, 3, 3)));
        Assert.Equal(["--select", "m", "--from", "today-7", "--to=yesterday", "--date", "today+1"], step.Arguments);
    }

    [Fact]
    public void A_project_without_schedules_has_none() =>
        Assert.Empty(Read("name: plain\n"));

    [Theory]
    [InlineData("  - {name: a, cron: \"61 * * * *\", command: sync}", 2, "is not a cron expression")]
    [InlineData("  - {name: a, cron: \"0 3 * *\", command: sync}", 2, "is not a cron expression")]
    [InlineData("  - {name: a, cron: \"@hourly\", timezone: Mars/Olympus, command: sync}", 2, "unknown time zone 'Mars/Olympus'")]
    [InlineData("  - {name: a, cron: \"@hourly\", command: sync, timeout: soon}", 2, "timeout must be a duration")]
    [InlineData("  - {name: a, cron: \"@hourly\", command: sync, retry_delay: 0s}", 2, "retry_delay must be a duration")]
    [InlineData("  - {name: a, cron: \"@hourly\", command: sync, retries: -1}", 2, "retries must be between 0 and 20")]
    [InlineData("  - {name: a, cron: \"@hourly\", command: serve}", 2, "'serve' cannot be scheduled")]
    [InlineData("  - {name: a, cron: \"@hourly\", command: \"build --select 'marts\"}", 2, "is not closed")]
    [InlineData("  - {name: a, cron: \"@hourly\", command: \"backfill --from last-week\"}", 2, "--from needs a day")]
    [InlineData("  - {name: a, cron: \"@hourly\"}", 2, "needs a command")]
    [InlineData("  - {cron: \"@hourly\", command: sync}", 2, "a schedule needs name")]
    [InlineData("  - {name: a b, cron: \"@hourly\", command: sync}", 2, "may hold only letters")]
    [InlineData("  - {name: a, cron: \"@hourly\", command: sync, every: 5m}", 2, "unknown key 'every'")]
    [InlineData("  - {name: a, cron: \"@hourly\", command: sync}\n  - {name: a, cron: \"@daily\", command: build}", 3, "is used twice (also on line 2)")]
    public void A_bad_schedule_is_an_error_at_its_line(string yaml, int line, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read("schedules:\n" + yaml + "\n"));
        Assert.StartsWith($"{Path.Combine(_directory, "sluice.yml")}:{line}:", error.Message);
        Assert.Contains(message, error.Message);
    }

    private IReadOnlyList<Schedule> Read(string yaml)
    {
        File.WriteAllText(Path.Combine(_directory, "sluice.yml"), yaml);
        return ScheduleReader.Read(ProjectLoader.Load(_directory));
    }
}
