using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sluice.Testing;

namespace Sluice.Cli.Tests;

/// <summary>
/// Three <c>sluice serve</c> processes of one project on a ClickHouse warehouse, which cannot hold
/// the scheduler itself, and a shared Redis that keeps the scheduler's lease: one runs the
/// schedules, each tick once; killed with SIGKILL, another takes over once the lease has run out
/// and runs the next ticks, again once each.
/// </summary>
public sealed class ClickHouseSchedulerLeaseTests : IAsyncLifetime
{
    // Short, so that a takeover is quick; renewed every second.
    private const string Lease = "3s";

    private readonly TempDirectory _temp = new();
    private ClickHouseServer _clickHouse = null!;
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        _clickHouse = await ClickHouseServer.StartPrivateAsync();
        _redis = await RedisServer.StartAsync();
        await _clickHouse.QueryAsync("create database leased");
        File.WriteAllText(_temp.Combine("sluice.yml"), $$"""
            name: leased
            warehouse:
              type: clickhouse
              url: {{_clickHouse.Url("leased")}}
            serve:
              cache: {{_redis.Url()}}
            schedules:
              - {name: often, cron: "*/5 * * * * *", command: build}
            """);
        Directory.CreateDirectory(_temp.Combine("models"));
        File.WriteAllText(_temp.Combine("models", "one.sql"), "select 1 as x");
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _clickHouse.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task One_of_three_servers_runs_each_tick_once_and_another_takes_over_when_it_is_killed()
    {
        var servers = new List<ServedProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                servers.Add(await ServedProcess.StartOnFreePortAsync(_temp.Path, ["serve", "--scheduler-lease", Lease]));
            }

            var holder = await OneHolderAsync(servers);
            await UntilAsync(async () => (await SucceededTicksAsync(holder.ProcessId)).Count >= 2, "two ticks run by the holder");
            Assert.Equal($"{holder.ProcessId}", (await _redis.CommandAsync("GET", "sluice:leased:scheduler")).Split("(pid ")[1].Split(',')[0]);

            using (var kill = Process.Start("kill", ["-KILL", holder.ProcessId.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var killedAt = Stopwatch.StartNew();
            var rest = servers.Where(s => s != holder).ToList();
            var successor = await OneHolderAsync(rest);
            var tookOver = killedAt.Elapsed;
            await UntilAsync(async () => (await SucceededTicksAsync(successor.ProcessId)).Count >= 2, "two ticks run by the successor");

            // Taken over once the killed holder's lease ran out, give or take the standby's poll and a start.
            Assert.True(tookOver < TimeSpan.FromSeconds(3 + 1 + 20), $"took {tookOver.TotalSeconds} s to take over");

            // Each tick succeeded once, whoever ran it; a run the kill cut short is INTERRUPTED, never left RUNNING.
            var rows = (await _clickHouse.QueryAsync(
                "select toString(scheduled_for), status, pid from _sluice.schedule_runs where schedule_name = 'often' order by started_at format TSV"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
            var succeeded = rows.Where(r => r[1] == "SUCCESS").Select(r => r[0]).ToList();
            Assert.Equal(succeeded.Count, succeeded.Distinct().Count());
            Assert.All(rows.Where(r => r[1] == "RUNNING"), r => Assert.Equal($"{successor.ProcessId}", r[2]));
            Assert.All(rows, r => Assert.Contains(r[2], new[] { $"{holder.ProcessId}", $"{successor.ProcessId}" }));
            // Replaced by inserting the successor before deleting its predecessor: never missing.
            Assert.Equal("1", (await _clickHouse.QueryAsync("select count() > 0 from _sluice.schedules where name = 'often'")).Trim());
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Serve_refuses_schedules_on_ClickHouse_without_a_Redis_naming_serve_cache()
    {
        File.WriteAllText(_temp.Combine("sluice.yml"), $$"""
            name: leased
            warehouse:
              type: clickhouse
              url: {{_clickHouse.Url("leased")}}
            schedules:
              - {name: often, cron: "*/5 * * * * *", command: build}
            """);

        var serve = await SluiceProcess.RunAsync(_temp.Path, "serve", "--port", "0");
        var schedule = await SluiceProcess.RunAsync(_temp.Path, "schedule");

        foreach (var refused in new[] { serve, schedule })
        {
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("set serve.cache to a Redis URL", refused.Stderr);
            Assert.DoesNotContain(_clickHouse.Password, refused.Stderr);
        }
    }

    // Exactly one server says it runs the schedules, and the others name it as the holder.
    private static async Task<ServedProcess> OneHolderAsync(IReadOnlyList<ServedProcess> servers)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        ServedProcess? holder = null;
        var seen = new List<string>();
        await UntilAsync(async () =>
        {
            var runBy = seen;
            runBy.Clear();
            foreach (var server in servers)
            {
                var listed = JsonDocument.Parse(await client.GetStringAsync(new Uri(server.Url, "api/v1/schedules"))).RootElement;
                runBy.Add(listed.GetProperty("run_by").GetString() ?? "");
            }

            var running = servers.Where((_, i) => runBy[i] == "this server").ToList();
            Assert.True(running.Count <= 1, $"more than one server runs the schedules: {string.Join(" | ", runBy)}");
            holder = running.SingleOrDefault();
            return holder is not null && runBy.Where(r => r != "this server").All(r => r.Contains($"(pid {holder.ProcessId},", StringComparison.Ordinal));
        }, () => $"one server to run the schedules and the others to name it (pids {string.Join(", ", servers.Select(s => s.ProcessId))}; run_by: {string.Join(" | ", seen)})");
        return holder!;
    }

    private async Task<List<string>> SucceededTicksAsync(int processId) =>
        (await _clickHouse.QueryAsync($"select toString(scheduled_for) from _sluice.schedule_runs where schedule_name = 'often' and status = 'SUCCESS' and pid = {processId} format TSV"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static Task UntilAsync(Func<Task<bool>> condition, string what) => UntilAsync(condition, () => what);

    private static async Task UntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(4), $"waited four minutes for {what()}");
            await Task.Delay(200);
        }
    }
}
