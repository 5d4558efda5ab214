using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Sluice.Cli.Tasks;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Server;
using Sluice.Server.Jobs;

namespace Sluice.Cli.Tests;

/// <summary>
/// The ApplyLens demo served as `sluice serve` serves it, for three days on an injected clock:
/// its schedules, alerts and daily prune run as they would over those days, the jobs for real.
/// </summary>
public sealed class ApplyLensOperateTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Three_served_days_run_the_hourly_sync_the_nightly_build_and_export_and_tell_the_alerts()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var directory = _temp.Combine("demo");
        var demo = await SluiceProcess.RunAsync(_temp.Path, "demo", "--dir", directory, "--days", "14", "--no-serve");
        Assert.True(demo.ExitCode == 0, demo.ToString());

        // Three days that end about now: the jobs record real times, which then stay in the past
        // of no simulated moment.
        var start = new DateTimeOffset(today.AddDays(-3).ToDateTime(new TimeOnly(0, 30)), TimeSpan.Zero);
        var end = start.AddDays(3);
        var broken = Path.Combine(directory, "data", "emails_zz-broken.csv");
        var clock = new FakeTimeProvider(start);
        var project = ProjectParser.Parse(ProjectLoader.Load(directory));
        await using (var server = await ServeTask.StartAsync(project, null, 0, clock, null, CancellationToken.None))
        {
            var operations = server.Operations!;
            while (true)
            {
                var next = await QuietAsync(server, clock);
                var now = clock.GetUtcNow();

                // A day and a half in, a file the sync cannot read arrives; four hours later it is gone.
                if (now >= start.AddHours(30) && now < start.AddHours(34) && !File.Exists(broken))
                {
                    await File.WriteAllTextAsync(broken, "id,received_at,sender,subject,risk_score,category,expires_at,features_json,updated_at\nnot-a-number,2026-01-01 00:00:00,a@b.c,Hi,1,recruiter,,{},2026-01-01 00:00:00\n");
                }
                else if (now >= start.AddHours(34) && File.Exists(broken))
                {
                    File.Delete(broken);
                }

                if (next > end)
                {
                    break;
                }

                clock.Advance(next - now);
            }

            Assert.True(operations.Watch!.Evaluations >= 72, $"{operations.Watch.Evaluations} evaluations");
        }

        // The hourly sync ran at every hour, the nightly build and export at 03:15 each day.
        var runs = await RowsAsync(directory, "select schedule_name, status, reason, cast(epoch(scheduled_for) as bigint) from _sluice.schedule_runs order by started_at");
        var hours = Enumerable.Range(1, 72).Select(h => start.AddMinutes(30).AddHours(h - 1)).Where(t => t > start && t <= end).ToList();
        var syncs = runs.Where(r => r[0] == "sync-hourly").ToList();
        Assert.Equal(hours.Count, syncs.Select(r => r[3]).Distinct().Count());
        Assert.All(syncs, r => Assert.Equal("cron", r[2]));
        Assert.Contains(syncs, r => r[1] == "FAILED");
        Assert.Equal("SUCCESS", syncs[^1][1]);
        var nightly = runs.Where(r => r[0] == "nightly").ToList();
        Assert.Equal(["SUCCESS", "SUCCESS", "SUCCESS"], nightly.Select(r => r[1]));
        Assert.Equal(
            [.. Enumerable.Range(0, 3).Select(d => start.AddMinutes(-30).AddDays(d).AddHours(3).AddMinutes(15).ToUnixTimeSeconds())],
            nightly.Select(r => long.Parse(r[3], CultureInfo.InvariantCulture)));

        // Each night's export left the marts as documents, with a summary.
        var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "exports", "export-summary.json"))).RootElement;
        Assert.Equal(JsonValueKind.Object, summary.ValueKind);
        foreach (var mart in new[] { "mrt_risk_daily", "mrt_parity_drift", "mrt_backfill_slo" })
        {
            var lines = await File.ReadAllLinesAsync(Path.Combine(directory, "exports", $"{mart}.jsonl"));
            Assert.NotEmpty(lines);
            Assert.All(lines, l => Assert.True(JsonDocument.Parse(l).RootElement.TryGetProperty("_id", out _), l));
        }

        // The failing syncs fired the schedules alert once, and it resolved when the sync recovered;
        // nothing else fired. The ops channel was told both, in notifications.jsonl.
        // The jobs build days by the real date: a run that crosses midnight UTC builds a day the
        // demo generated no mail for, whose row_count check then fails, and is told, rightly.
        var crossedMidnight = DateOnly.FromDateTime(DateTime.UtcNow) != today;
        var events = (await RowsAsync(directory, "select rule_name, subject, kind from _sluice.alert_events where kind in ('FIRING', 'RESOLVED') order by occurred_at"))
            .Where(e => !(crossedMidnight && e[0] == "checks"))
            .ToList();
        Assert.Equal([["schedules", "sync-hourly", "FIRING"], ["schedules", "sync-hourly", "RESOLVED"]], events);
        var told = (await File.ReadAllLinesAsync(Path.Combine(directory, "notifications.jsonl")))
            .Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(n => (n.GetProperty("kind").GetString(), n.GetProperty("fields").GetProperty("rule").GetString()))
            .Where(n => !(crossedMidnight && n.Item2 == "checks"))
            .ToList();
        Assert.Equal([("alert_firing", "schedules"), ("alert_resolved", "schedules")], told);
        Assert.Equal(["2"], (await RowsAsync(directory, $"select count(*) from _sluice.notifications where lower(status) = 'delivered'{(crossedMidnight ? " and title not like '%checks%'" : string.Empty)}")).Select(r => r[0]));
    }

    // Waits until every loop of the server waits for a later time and no job runs; returns the
    // earliest time one of them waits for.
    private static async Task<DateTimeOffset> QuietAsync(SluiceServer server, FakeTimeProvider clock)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var now = clock.GetUtcNow();
            var operations = server.Operations!;
            DateTimeOffset?[] waits = [operations.Scheduler?.WaitingUntil, operations.Watch?.WaitingUntil, operations.Prune?.WaitingUntil];
            var jobs = server.Jobs!.List();
            if (waits.All(w => w > now) && jobs.All(j => j.State is not (JobState.Queued or JobState.Running)))
            {
                return waits.Min()!.Value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the server did not come to rest at {now:O}: waits {string.Join(", ", waits)}, jobs {string.Join(", ", jobs.Select(j => $"{j.Command} {j.State}"))}");
            await Task.Delay(5);
        }
    }

    private static async Task<List<string[]>> RowsAsync(string directory, string sql)
    {
        var result = await SluiceProcess.RunAsync(directory, "query", sql, "--format", "csv");
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.TrimEnd('\r').Split(','))];
    }
}
