using System.Globalization;
using System.Text;
using Sluice.Testing;

namespace Sluice.Cli.Tests;

/// <summary>
/// A backfill of a day-partitioned model on ClickHouse, which has no transactions, killed with
/// SIGKILL three times at whatever step its partitions were at, then run to the end: every day
/// holds exactly its rows, once. On one server and on a 2-shard cluster.
/// </summary>
public class ClickHouseBackfillKillTests : IAsyncLifetime
{
    private static readonly DateOnly First = new(2025, 3, 1);
    private const int Days = 24;

    private const string BuiltDaysSql =
        "select count() from (select distinct target_date from _sluice.job_runs where job_name = 'daily_revenue' and status = 'SUCCESS')";

    private readonly TempDirectory _temp = new();
    private IAsyncDisposable _servers = null!;
    private ClickHouseServer _server = null!;

    /// <summary>Starts the servers with database shop and returns them, the server of the URL and sluice.yml's warehouse section.</summary>
    protected virtual async Task<(IAsyncDisposable Servers, ClickHouseServer First, string Yaml)> StartAsync()
    {
        var server = await ClickHouseServer.StartPrivateAsync();
        await server.QueryAsync("create database shop");
        return (server, server, $"warehouse:\n  type: clickhouse\n  url: {server.Url("shop")}");
    }

    public async Task InitializeAsync()
    {
        (_servers, _server, var warehouse) = await StartAsync();
        File.WriteAllText(_temp.Combine("sluice.yml"), $"""
            name: chkill
            {warehouse}
            seeds:
              orders:
                +column_types:
                  amount: decimal(10,2)
            """);
        Directory.CreateDirectory(_temp.Combine("models"));
        Directory.CreateDirectory(_temp.Combine("seeds"));

        // A pause after each day keeps the backfill going long enough to be killed halfway.
        File.WriteAllText(_temp.Combine("models", "daily_revenue.sql"), """
            {{ config(materialized='incremental', partition_by='order_date', grain='day', post_hook='select sleep(0.2)') }}
            select order_date, count() as orders, sum(amount) as revenue
            from {{ ref('orders') }}
            where order_date >= '{{ partition_start }}' and order_date < '{{ partition_end }}'
            group by order_date
            """);
        var csv = new StringBuilder("id,order_date,amount\n");
        for (var i = 0; i < Days * 7; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i + 1},{First.AddDays(i % Days):yyyy-MM-dd},{(i * 37 % 1000) / 10m:0.00}\n");
        }

        File.WriteAllText(_temp.Combine("seeds", "orders.csv"), csv.ToString());
    }

    public async Task DisposeAsync()
    {
        await _servers.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_backfill_killed_three_times_and_run_again_builds_every_day_once()
    {
        var seeded = await SluiceProcess.RunAsync(_temp.Path, "seed");
        Assert.True(seeded.ExitCode == 0, seeded.ToString());
        string[] backfill = ["backfill", "--select", "daily_revenue", "--from", Day(First), "--to", Day(First.AddDays(Days - 1))];

        foreach (var built in new[] { 3, 8, 13 })
        {
            using var killed = StartedSluice.Start(_temp.Path, backfill);
            await WaitForBuiltDaysAsync(built, killed);
            await killed.SignalAsync("KILL");
            await killed.ExitAsync();
        }

        Assert.True(await BuiltDaysAsync() < Days, "the kills must come before the backfill ends");

        var finished = await SluiceProcess.RunAsync(_temp.Path, backfill);
        Assert.True(finished.ExitCode == 0, finished.ToString());

        Assert.Equal(
            await _server.QueryAsync("select order_date, count(), sum(amount) from shop.orders group by order_date order by order_date"),
            await _server.QueryAsync("select order_date, orders, revenue from shop.daily_revenue order by order_date"));
        Assert.Equal($"{Days}\t{Days}\n", await _server.QueryAsync("select count(), uniqExact(order_date) from shop.daily_revenue"));
        Assert.Equal($"{Days}\n", await _server.QueryAsync(BuiltDaysSql));
        Assert.Equal("0\n", await _server.QueryAsync("select count() from _sluice.job_runs where status = 'RUNNING'"));
        Assert.Equal("0\n", await _server.QueryAsync("select count() from system.tables where database = 'shop' and name like '%\\\\_\\\\_%' and not endsWith(name, '__shard')"));
    }

    private async Task<long> BuiltDaysAsync()
    {
        var text = await _server.QueryAsync(
            "select count() from system.tables where database = '_sluice' and name = 'job_runs'");
        return text.Trim() == "0"
            ? 0
            : long.Parse(await _server.QueryAsync(BuiltDaysSql), CultureInfo.InvariantCulture);
    }

    private async Task WaitForBuiltDaysAsync(long days, StartedSluice process)
    {
        var guard = DateTime.UtcNow.AddMinutes(5);
        while (await BuiltDaysAsync() < days)
        {
            if (process.HasExited)
            {
                Assert.Fail($"the backfill ended before {days} days were built: {await process.ExitAsync()}");
            }

            Assert.True(DateTime.UtcNow < guard, $"{days} days were not built within five minutes");
            await Task.Delay(20);
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed class ClickHouseClusterBackfillKillTests : ClickHouseBackfillKillTests
{
    protected override async Task<(IAsyncDisposable Servers, ClickHouseServer First, string Yaml)> StartAsync()
    {
        var cluster = await ClickHouseCluster.StartAsync();
        await cluster.CreateDatabaseAsync("shop");
        return (cluster, cluster.First, cluster.WarehouseYaml("shop"));
    }
}
