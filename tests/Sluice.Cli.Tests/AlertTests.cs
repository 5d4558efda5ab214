using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Sluice.Core.Project;
using Sluice.Operate.Alerts;
using Sluice.Operate.Notify;
using Sluice.Operate.Schedules;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Cli.Tests;

/// <summary>
/// alerts.yml end to end: real checks run by real sluice processes, a real warehouse, and real
/// webhook receivers on loopback. Where time must pass (renotify, silences) the alert watch runs
/// here on an injected clock against a PostgreSQL warehouse that the sluice processes share.
/// </summary>
public sealed class AlertTests : IDisposable
{
    private const string Checked = """
        version: 2
        models:
          - name: orders
            columns:
              - name: customer
                tests: [not_null]
        """;

    private const string Good = "select 1 as id, 'ada' as customer union all select 2, 'bob'\n";
    private const string Bad = "select 1 as id, 'ada' as customer union all select 2, null\n";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_failing_check_fires_once_is_renotified_silenced_and_resolves_with_a_notification()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var server = await PostgresServer.GetAsync();
        var directory = await ProjectAsync(
            $"warehouse: {{type: postgres, url: \"{await server.CreateDatabaseAsync("alerts")}\"}}",
            $"channels:\n  - {{name: hook, type: webhook, url: \"{receiver.UrlFor("/alerts")}\", retry_delay: 50ms}}",
            """
            defaults: {channels: [hook], every: 5m, renotify: 1h}
            rules:
              - name: checks
                severity: critical
                description: Orders without a customer break the revenue mart.
                check_failed: {checks: ["not_null_*"]}
            """);

        await File.WriteAllTextAsync(Path.Combine(directory, "models", "orders.sql"), Bad);
        var build = await SluiceProcess.RunAsync(directory, "build");
        Assert.True(build.ExitCode == 1, build.ToString());

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var watching = await WatchAsync(directory, clock);

        // Firing at the first evaluation: told once.
        await receiver.WaitForRequestsAsync(1);
        var fired = JsonDocument.Parse(receiver.Requests[0].Body).RootElement;
        Assert.Equal("alert_firing", fired.GetProperty("kind").GetString());
        Assert.Equal("critical", fired.GetProperty("severity").GetString());
        Assert.Contains("not_null_orders_customer", fired.GetProperty("title").GetString());
        Assert.Contains("Orders without a customer break the revenue mart.", fired.GetProperty("text").GetString());

        // Still failing at each interval: nothing more is sent before the renotify interval.
        for (var i = 0; i < 3; i++)
        {
            await watching.AdvanceToNextEvaluationAsync();
        }

        Assert.Single(receiver.Requests);
        Assert.Equal(["FIRING"], await EventsAsync(directory));

        // An hour after it was told: told again, as a repeat of the same occurrence.
        while (clock.GetUtcNow() < watching.Started + TimeSpan.FromHours(1))
        {
            await watching.AdvanceToNextEvaluationAsync();
        }

        await receiver.WaitForRequestsAsync(2);
        var reminder = JsonDocument.Parse(receiver.Requests[1].Body).RootElement;
        Assert.StartsWith("Still firing", reminder.GetProperty("title").GetString());
        Assert.Equal(fired.GetProperty("dedup_key").GetString(), reminder.GetProperty("dedup_key").GetString());

        // Silenced from the command line: the next reminder is recorded as silenced, not sent.
        var silence = await SluiceProcess.RunAsync(directory, "alerts", "silence", "checks", "--for", "30d", "--reason", "fixing the import");
        Assert.True(silence.ExitCode == 0, silence.ToString());
        var reminded = watching.Started + TimeSpan.FromHours(1);
        while (clock.GetUtcNow() < reminded + TimeSpan.FromHours(1))
        {
            await watching.AdvanceToNextEvaluationAsync();
        }

        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(["FIRING", "RENOTIFIED", "RENOTIFIED"], await EventsAsync(directory));
        Assert.Equal(["false", "false", "true"], await QueryAsync(directory, "select silenced from _sluice.alert_events order by occurred_at"));
        var listed = JsonDocument.Parse((await SluiceProcess.RunAsync(directory, "alerts", "--format", "json")).Stdout).RootElement;
        var rule = listed.GetProperty("rules")[0];
        Assert.Equal("FIRING", rule.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.String, rule.GetProperty("silenced_until").ValueKind);
        Assert.Equal("fixing the import", listed.GetProperty("silences")[0].GetProperty("reason").GetString());

        // Unsilenced, the model fixed and rebuilt: the run's evaluation resolves it, and that is told.
        var unsilence = await SluiceProcess.RunAsync(directory, "alerts", "unsilence", "checks");
        Assert.True(unsilence.ExitCode == 0, unsilence.ToString());
        await File.WriteAllTextAsync(Path.Combine(directory, "models", "orders.sql"), Good);
        build = await SluiceProcess.RunAsync(directory, "build");
        Assert.True(build.ExitCode == 0, build.ToString());
        watching.Watch.AfterRun(["build"]);
        await receiver.WaitForRequestsAsync(3);
        var resolved = JsonDocument.Parse(receiver.Requests[2].Body).RootElement;
        Assert.Equal("alert_resolved", resolved.GetProperty("kind").GetString());
        await watching.WaitIdleAsync();
        Assert.Equal(["FIRING", "RENOTIFIED", "RENOTIFIED", "RESOLVED"], await EventsAsync(directory));
        Assert.Equal(["0"], await QueryAsync(directory, "select count(*) from _sluice.alert_states"));

        // Each delivery is recorded.
        Assert.Equal(["alert_firing:delivered", "alert_firing:delivered", "alert_resolved:delivered"],
            await QueryAsync(directory, "select kind || ':' || lower(status) from _sluice.notifications order by started_at"));
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_retries_and_a_recorded_failure_while_the_scheduled_job_succeeds()
    {
        var receiver = await WebhookReceiver.StartAsync();
        var url = receiver.UrlFor("/down");
        await receiver.StopAsync();
        var directory = await ProjectAsync(
            null,
            $$"""
            channels:
              - {name: hook, type: webhook, url: "{{url}}", retries: 2, retry_delay: 50ms, timeout: 2s}
            schedules:
              - {name: often, cron: "*/2 * * * * *", command: build}
            """,
            """
            rules:
              - {name: warnings, channels: [hook], check_failed: {checks: ["*"], warnings: true}}
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "models", "schema.yml"), Checked.Replace("tests: [not_null]", "tests: [{not_null: {config: {severity: warn}}}]"));
        await File.WriteAllTextAsync(Path.Combine(directory, "models", "orders.sql"), Bad);

        await using var scheduler = ScheduledProcess.Start(directory);
        await scheduler.WaitForAsync(
            events => ScheduledProcess.Named(events, "delivery").Any(e => e.GetProperty("outcome").GetString() == "failed"),
            "the alert's delivery failed");
        await scheduler.SignalAndWaitAsync("TERM");
        Assert.Equal(0, scheduler.ExitCode);

        var deliveries = ScheduledProcess.Named(scheduler.Events, "delivery").ToList();
        Assert.Equal(["retrying", "retrying", "failed"], deliveries.Take(3).Select(e => e.GetProperty("outcome").GetString()));
        Assert.All(deliveries.Take(3), e => Assert.Equal("alert_firing", e.GetProperty("notification").GetString()));
        Assert.Contains(["failed", "3"], await QueryRowsAsync(directory, "select lower(status), attempts from _sluice.notifications where kind = 'alert_firing'"));
        Assert.Contains("SUCCESS", await QueryAsync(directory, "select status from _sluice.schedule_runs where schedule_name = 'often'"));
        Assert.DoesNotContain("FAILED", await QueryAsync(directory, "select status from _sluice.schedule_runs where schedule_name = 'often'"));
        Assert.Contains("FIRING", await EventsAsync(directory));
    }

    [Fact]
    public async Task A_served_project_answers_the_alerts_api_and_the_cli_goes_through_it()
    {
        var directory = await ProjectAsync(
            null,
            "channels:\n  - {name: hook, type: webhook, url: \"http://127.0.0.1:9/unused\"}",
            """
            defaults: {channels: [hook]}
            rules:
              - {name: checks, check_failed: {}}
              - {name: slo, job_duration: {p95_above: 300s, window: 7d}, enabled: false}
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "models", "orders.sql"), Good);
        Assert.Equal(0, (await SluiceProcess.RunAsync(directory, "build")).ExitCode);

        await using var served = await ServedProcess.StartAsync(directory, ["serve"], Path.Combine(directory, "warehouse.duckdb.serving"));
        using var client = new HttpClient { BaseAddress = served.Url };
        var listed = JsonDocument.Parse(await client.GetStringAsync("/api/v1/alerts")).RootElement;
        Assert.Equal(["checks", "slo"], listed.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal("DISABLED", listed.GetProperty("rules")[1].GetProperty("state").GetString());

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.PostAsync("/api/v1/alerts/nope/silence?for=1h", null)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await client.PostAsync("/api/v1/alerts/checks/silence?for=forever", null)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await client.PostAsync("/api/v1/alerts/checks/silence?for=31d", null)).StatusCode);

        // The CLI cannot open the served file: it asks the server.
        var silence = await SluiceProcess.RunAsync(directory, "alerts", "silence", "checks", "--for", "2h");
        Assert.True(silence.ExitCode == 0, silence.ToString());
        var shown = await SluiceProcess.RunAsync(directory, "alerts");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Matches(@"checks\s+│\s+check_failed\s+│\s+warning\s+│\s+OK", shown.Stdout);
        var silences = JsonDocument.Parse(await client.GetStringAsync("/api/v1/alerts")).RootElement.GetProperty("silences");
        Assert.Equal("checks", silences[0].GetProperty("rule").GetString());
        Assert.Equal("the API (no keys, loopback)", silences[0].GetProperty("created_by").GetString());

        var ended = JsonDocument.Parse(await (await client.DeleteAsync("/api/v1/alerts/checks/silence")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, ended.GetProperty("ended").GetInt32());
        await served.StopAsync();
    }

    [Theory]
    [InlineData("rules:\n  - {name: m, metric: {name: nope, above: 3}}\n", "alerts.yml:2", "there is no metric 'nope'")]
    [InlineData("rules:\n  - name: late\n    partition_late: {model: missing, deadline: \"06:00\"}\n", "alerts.yml:3", "there is no model 'missing'")]
    [InlineData("rules:\n  - {name: c, check_failed: {}, every: soon}\n", "alerts.yml:2", "every")]
    [InlineData("rules:\n  - {name: c, check_failed: {}, channels: [pager]}\n", "alerts.yml:2", "there is no notification channel 'pager'")]
    public async Task A_bad_alerts_file_stops_the_scheduler_and_the_server_at_its_line(string alerts, string at, string message)
    {
        var directory = await ProjectAsync(null, "schedules:\n  - {name: nightly, cron: \"15 3 * * *\", command: build}", alerts);
        foreach (var verb in new[] { "schedule", "serve", "alerts" })
        {
            var result = await SluiceProcess.RunAsync(directory, verb);
            Assert.True(result.ExitCode == 2, $"{verb}: {result}");
            Assert.Contains(at, result.Stderr, StringComparison.Ordinal);
            Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
            Assert.Single(result.Stderr.Trim().Split('\n'));
        }
    }

    // A project with a model and its not_null check; sluice.yml gets the given sections.
    private async Task<string> ProjectAsync(string? warehouse, string sections, string alerts)
    {
        var directory = _temp.Combine($"project{Guid.NewGuid():N}"[..16]);
        var init = await SluiceProcess.RunAsync(_temp.Path, "init", directory);
        Assert.True(init.ExitCode == 0, init.ToString());
        var config = Path.Combine(directory, "sluice.yml");
        if (warehouse is not null)
        {
            var text = await File.ReadAllTextAsync(config);
            await File.WriteAllTextAsync(config, text.Replace("warehouse:\n  type: duckdb\n  path: warehouse.duckdb\n", warehouse + "\n", StringComparison.Ordinal));
        }

        await File.AppendAllTextAsync(config, "\n" + sections + "\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "models", "schema.yml"), Checked);
        await File.WriteAllTextAsync(Path.Combine(directory, "models", "orders.sql"), Good);
        await File.WriteAllTextAsync(Path.Combine(directory, "alerts.yml"), alerts);
        return directory;
    }

    // The alert watch as `sluice schedule` builds it, on an injected clock.
    private static async Task<Watching> WatchAsync(string directory, FakeTimeProvider clock)
    {
        var project = ProjectLoader.Load(directory);
        var channels = ChannelReader.Read(project);
        var rules = ProjectAlerts.Read(project, ScheduleReader.Read(project), channels);
        var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        var failures = new ConcurrentQueue<string>();
        var notifier = new Notifier(project.Name, warehouse.OpenSessionAsync, TimeProvider.System, _ => { });
        var watch = ProjectAlerts.Watch(project.Name, rules, channels, warehouse.OpenSessionAsync, null, notifier, clock, (rule, e) => failures.Enqueue($"{rule}: {e}"));
        var stop = new CancellationTokenSource();
        var started = clock.GetUtcNow();
        var running = Task.Run(() => watch.RunAsync(stop.Token));
        var watching = new Watching(watch, clock, started, running, stop, warehouse, notifier, failures);
        await watching.WaitIdleAsync();
        return watching;
    }

    private static async Task<List<string>> EventsAsync(string directory) =>
        await QueryAsync(directory, "select kind from _sluice.alert_events where kind <> 'PENDING' order by occurred_at");

    private static async Task<List<string>> QueryAsync(string directory, string sql) =>
        [.. (await QueryRowsAsync(directory, sql)).Select(r => r[0])];

    private static async Task<List<string[]>> QueryRowsAsync(string directory, string sql)
    {
        var result = await SluiceProcess.RunAsync(directory, "query", sql, "--format", "csv");
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.TrimEnd('\r').Split(','))];
    }

    private sealed class Watching(
        AlertWatch watch, FakeTimeProvider clock, DateTimeOffset started, Task running, CancellationTokenSource stop, IAsyncDisposable warehouse, Notifier notifier, ConcurrentQueue<string> failures)
        : IAsyncDisposable
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

        public AlertWatch Watch => watch;

        public DateTimeOffset Started => started;

        /// <summary>Waits until the watch has evaluated what was due and waits for the next rule.</summary>
        public async Task WaitIdleAsync()
        {
            var deadline = DateTime.UtcNow + Deadline;
            while (watch.WaitingUntil is null)
            {
                Assert.True(failures.IsEmpty, string.Join('\n', failures));
                Assert.False(running.IsCompleted, $"the watch stopped: {running.Exception}");
                Assert.True(DateTime.UtcNow < deadline, "the watch did not come to wait");
                await Task.Delay(5);
            }

            Assert.True(failures.IsEmpty, string.Join('\n', failures));
        }

        /// <summary>Moves the clock to the next evaluation and waits until it is done.</summary>
        public async Task AdvanceToNextEvaluationAsync()
        {
            await WaitIdleAsync();
            var evaluations = watch.Evaluations;
            clock.Advance(watch.WaitingUntil!.Value - clock.GetUtcNow());
            var deadline = DateTime.UtcNow + Deadline;
            while (watch.Evaluations == evaluations)
            {
                Assert.True(DateTime.UtcNow < deadline, "the watch did not evaluate");
                await Task.Delay(5);
            }

            await WaitIdleAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await running;
            notifier.Dispose();
            await warehouse.DisposeAsync();
            stop.Dispose();
        }
    }
}
