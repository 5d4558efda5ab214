using System.Globalization;
using System.Text.Json;
using Npgsql;
using Sluice.Testing;

namespace Sluice.Cli.Tests;

/// <summary>
/// <c>analytics.synced</c> after <c>sluice sync</c> and after scheduled syncs in <c>sluice serve</c>,
/// over a real nats-server and a real HTTP receiver; the subscriber is the test's own NATS client.
/// </summary>
public sealed class SyncEventTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Each_sync_publishes_one_analytics_synced_on_nats_with_the_rows_of_each_table()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var subscriber = await nats.SubscribeAsync(">");
        var server = await PostgresServer.GetAsync();
        var sourceUrl = await server.CreateDatabaseAsync("eventsource");
        var source = server.ConnectionString(sourceUrl[(sourceUrl.LastIndexOf('/') + 1)..]);
        await ExecuteAsync(source, """
            create table companies (id int primary key, name text, updated_at timestamptz not null);
            insert into companies select g, 'c' || g, now() from generate_series(1, 40) g;
            create table scores (id int primary key, score int, updated_at timestamptz not null);
            insert into scores select g, g % 7, now() from generate_series(1, 100) g;
            """);
        File.WriteAllText(_temp.Combine("sluice.yml"), $$"""
            name: teei
            sources:
              - name: app
                type: postgres
                url: {{sourceUrl}}
                tables:
                  - {name: companies, cursor: updated_at}
                  - {name: scores, cursor: updated_at}
            channels:
              - {name: bus, type: nats, url: "${NATS_URL}"}
            events:
              analytics.synced: [bus]
            """);
        var environment = new Dictionary<string, string?> { ["NATS_URL"] = nats.Url() };

        var first = await SluiceProcess.RunAsync(_temp.Path, ["sync"], null, environment);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("analytics.synced sent to bus (1 attempt).", first.Stderr);
        var message = Assert.Single(await subscriber.ReceivedAsync());
        Assert.Equal("analytics.synced", message.Subject);
        var body = JsonDocument.Parse(message.Body).RootElement;
        Assert.Equal(("analytics.synced", 1, "teei"), (body.GetProperty("event").GetString(), body.GetProperty("version").GetInt32(), body.GetProperty("project").GetString()));
        Assert.Equal([("app.companies", "raw.app__companies", 40L, 0L), ("app.scores", "raw.app__scores", 100L, 0L)], Tables(body));
        Assert.Equal((140, 0), (body.GetProperty("rows_upserted").GetInt64(), body.GetProperty("rows_deleted").GetInt64()));
        var finishedAt = body.GetProperty("finished_at").GetString()!;
        Assert.EndsWith("Z", finishedAt);
        Assert.InRange(DateTimeOffset.Parse(finishedAt, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
        Assert.Matches("^[0-9a-f]{16}$", body.GetProperty("data_version").GetString());
        Assert.Matches("^[0-9a-f]{32}$", body.GetProperty("run_id").GetString());

        await ExecuteAsync(source, "update scores set score = score + 1, updated_at = now() where id <= 5; delete from companies where id in (7, 8);");
        var second = await SluiceProcess.RunAsync(_temp.Path, ["sync", "--reconcile"], null, environment);
        Assert.True(second.ExitCode == 0, second.ToString());

        var received = await subscriber.ReceivedAsync();
        Assert.Equal(2, received.Count);
        var next = JsonDocument.Parse(received[1].Body).RootElement;
        Assert.Equal([("app.companies", "raw.app__companies", 0L, 2L), ("app.scores", "raw.app__scores", 5L, 0L)], Tables(next));
        Assert.NotEqual(body.GetProperty("run_id").GetString(), next.GetProperty("run_id").GetString());
        Assert.NotEqual(body.GetProperty("data_version").GetString(), next.GetProperty("data_version").GetString());

        var rows = await QueryAsync(environment, "select channel, channel_type, kind, status, attempts from _sluice.notifications order by started_at");
        Assert.Equal([["bus", "nats", "analytics.synced", "delivered", "1"], ["bus", "nats", "analytics.synced", "delivered", "1"]], rows);
        Assert.DoesNotContain(nats.Password, first.Stdout + first.Stderr + second.Stdout + second.Stderr);
    }

    [Fact]
    public async Task A_webhook_gets_the_same_body_as_nats_and_a_failed_sync_sends_nothing()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var subscriber = await nats.SubscribeAsync("teei.>");
        await using var receiver = await WebhookReceiver.StartAsync();
        Directory.CreateDirectory(_temp.Combine("data"));
        File.WriteAllText(_temp.Combine("data", "items.csv"), "id,name\n1,a\n2,b\n3,c\n");
        File.WriteAllText(_temp.Combine("sluice.yml"), $$"""
            name: shop
            sources:
              - {name: files, type: csv, path: data/*.csv}
            channels:
              - {name: bus, type: nats, url: "{{nats.Url()}}", subject: teei.analytics.synced}
              - {name: ops, type: webhook, url: "{{receiver.UrlFor("hooks/synced")}}"}
            events:
              analytics.synced:
                - bus
                - ops
            """);

        var synced = await SluiceProcess.RunAsync(_temp.Path, "sync");

        Assert.True(synced.ExitCode == 0, synced.ToString());
        var message = Assert.Single(await subscriber.ReceivedAsync());
        Assert.Equal("teei.analytics.synced", message.Subject);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(("POST", "/hooks/synced", "application/json; charset=utf-8"), (request.Method, request.Path, request.Headers["content-type"]));
        Assert.Equal(message.Body, request.Body);
        var body = JsonDocument.Parse(request.Body).RootElement;
        var table = Assert.Single(body.GetProperty("tables").EnumerateArray());
        Assert.Equal(("files", "items", "raw.files__items", "csv", 3L), (table.GetProperty("source").GetString(), table.GetProperty("table").GetString(), table.GetProperty("warehouse_table").GetString(), table.GetProperty("mode").GetString(), table.GetProperty("rows_upserted").GetInt64()));

        // A sync with a table that failed committed only part of what it was asked: no event.
        File.WriteAllText(_temp.Combine("data", "more.csv"), "id,name\n4,d,extra\n");
        var failed = await SluiceProcess.RunAsync(_temp.Path, "sync");
        Assert.True(failed.ExitCode == 2, failed.ToString());
        Assert.Single(await subscriber.ReceivedAsync());
        Assert.Single(receiver.Requests);
        Assert.DoesNotContain("analytics.synced", failed.Stderr);
    }

    [Fact]
    public async Task A_nats_server_that_is_down_leaves_the_sync_successful_with_a_warning_and_a_failed_delivery_recorded()
    {
        var nats = await NatsServer.StartAsync();
        var url = nats.Url();
        var password = nats.Password;
        await nats.KillAsync();
        await nats.DisposeAsync();
        WriteCsvProject("""
            channels:
              - {name: bus, type: nats, url: "${NATS_URL}", retries: 1, retry_delay: 100ms, timeout: 5s}
            events:
              analytics.synced: bus
            """);
        var environment = new Dictionary<string, string?> { ["NATS_URL"] = url };

        var result = await SluiceProcess.RunAsync(_temp.Path, ["sync"], null, environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"files\.items\s*│\s*csv\s*│\s*ok\s*│\s*2", result.Stdout);
        Assert.Contains("analytics.synced to bus: attempt 1 failed:", result.Stderr);
        Assert.Contains("warning: analytics.synced was not delivered to bus (2 attempts):", result.Stderr);
        Assert.Contains("the sync itself succeeded, and the failed delivery is recorded in _sluice.notifications", result.Stderr);
        var rows = await QueryAsync(environment, "select channel, kind, status, attempts from _sluice.notifications");
        Assert.Equal([["bus", "analytics.synced", "failed", "2"]], rows);
        Assert.Equal("2", (await QueryAsync(environment, "select count(*) from raw.files__items"))[0][0]);

        var listed = await SluiceProcess.RunAsync(_temp.Path, ["channels"], null, environment);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains($"nats://127.0.0.1:{new Uri(url).Port}/***, subject per event", listed.Stdout);
        Assert.Contains("analytics.synced", listed.Stdout);
        var json = await SluiceProcess.RunAsync(_temp.Path, ["channels", "--format", "json"], null, environment);
        var channel = Assert.Single(JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray());
        Assert.Equal(["analytics.synced"], channel.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("failed", channel.GetProperty("last_delivery").GetProperty("status").GetString());
        var notifications = string.Join('\n', (await QueryAsync(environment, "select last_error from _sluice.notifications")).Select(r => string.Join(',', r)));

        foreach (var text in new[] { result.Stdout, result.Stderr, listed.Stdout, listed.Stderr, json.Stdout, json.Stderr, notifications })
        {
            Assert.DoesNotContain(password, text);
        }
    }

    [Theory]
    [InlineData("", "events:\n  analytics.sync: bus\n", 9, "unknown event 'analytics.sync'; the events are analytics.synced.")]
    [InlineData("", "events:\n  analytics.synced: [bus, pager]\n", 9, "events.analytics.synced: there is no channel 'pager'; the channels are bus.")]
    [InlineData(", subject: a b", "events:\n  analytics.synced: bus\n", 7, "channel 'bus': subject 'a b' is not a subject to publish on")]
    public async Task A_bad_events_section_stops_the_sync_with_one_line_naming_file_and_line(string channel, string events, int line, string message)
    {
        WriteCsvProject("channels:\n  - {name: bus, type: nats, url: \"nats://127.0.0.1:4222\"" + channel + "}\n" + events);

        var result = await SluiceProcess.RunAsync(_temp.Path, "sync");

        Assert.True(result.ExitCode == 2, result.ToString());
        var error = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains($"sluice.yml:{line}:", error);
        Assert.Contains(message, error);
        Assert.DoesNotContain("sync files.items: started", result.Stderr);
    }

    [Fact]
    public async Task Scheduled_syncs_in_serve_publish_analytics_synced_once_each()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var subscriber = await nats.SubscribeAsync("analytics.synced");
        var directory = _temp.Combine("served");
        var init = await SluiceProcess.RunAsync(_temp.Path, "init", directory);
        Assert.True(init.ExitCode == 0, init.ToString());
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        File.WriteAllText(Path.Combine(directory, "data", "items.csv"), "id,name\n1,a\n2,b\n");
        await File.AppendAllTextAsync(Path.Combine(directory, "sluice.yml"), $$"""

            sources:
              - {name: files, type: csv, path: data/*.csv}
            channels:
              - {name: bus, type: nats, url: "{{nats.Url()}}"}
            events:
              analytics.synced: bus
            schedules:
              - {name: often, cron: "*/2 * * * * *", command: sync}

            """);

        IReadOnlyList<NatsReceived> received;
        await using (var served = await ServedProcess.StartAsync(directory, ["serve"], Path.Combine(directory, "warehouse.duckdb.serving")))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while ((received = await subscriber.ReceivedAsync()).Count < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{received.Count} analytics.synced message(s) arrived in 3 minutes");
                await Task.Delay(100);
            }

            await served.StopAsync();
            Assert.Equal(0, served.ExitCode);
        }

        received = await subscriber.ReceivedAsync();
        var bodies = received.Select(m => JsonDocument.Parse(m.Body).RootElement).ToList();
        Assert.Equal(bodies.Count, bodies.Select(b => b.GetProperty("run_id").GetString()).Distinct().Count());
        Assert.Equal(2, bodies[0].GetProperty("rows_upserted").GetInt64());
        Assert.All(bodies.Skip(1), b => Assert.Equal(0, b.GetProperty("rows_upserted").GetInt64()));
        var runs = await SluiceProcess.RunAsync(directory, "query", "select count(*) from _sluice.notifications where kind = 'analytics.synced' and status = 'delivered'", "--format", "csv");
        Assert.Equal(bodies.Count.ToString(CultureInfo.InvariantCulture), runs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Trim());
    }

    private static List<(string, string?, long, long)> Tables(JsonElement body) =>
        [.. body.GetProperty("tables").EnumerateArray().Select(t => (
            $"{t.GetProperty("source").GetString()}.{t.GetProperty("table").GetString()}",
            t.GetProperty("warehouse_table").GetString(),
            t.GetProperty("rows_upserted").GetInt64(),
            t.GetProperty("rows_deleted").GetInt64()))];

    private void WriteCsvProject(string more)
    {
        Directory.CreateDirectory(_temp.Combine("data"));
        File.WriteAllText(_temp.Combine("data", "items.csv"), "id,name\n1,a\n2,b\n");
        File.WriteAllText(_temp.Combine("sluice.yml"), "name: t\nsources:\n  - name: files\n    type: csv\n    path: data/*.csv\n" + more);
    }

    private async Task<List<string[]>> QueryAsync(IReadOnlyDictionary<string, string?> environment, string sql)
    {
        var result = await SluiceProcess.RunAsync(_temp.Path, ["query", sql, "--format", "csv"], null, environment);
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.TrimEnd('\r').Split(','))];
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
