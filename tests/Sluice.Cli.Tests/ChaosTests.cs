using Sluice.Bench.Chaos;

namespace Sluice.Cli.Tests;

/// <summary>
/// A short run of the chaos suite (bench/Sluice.Bench.Chaos): a kill of each of sync, build,
/// backfill and full refresh, a restart of the source and of the warehouse (the server on
/// DuckDB), a few corrupt configurations and a few hundred hostile requests. `bench/run chaos`
/// runs the same with 200 kills and 10,000 requests.
/// </summary>
public sealed class ChaosTests
{
    [Theory]
    [InlineData(ChaosWarehouse.DuckDb)]
    [InlineData(ChaosWarehouse.Postgres)]
    public async Task A_short_chaos_run_breaks_no_invariant(ChaosWarehouse warehouse)
    {
        var log = new List<string>();
        var options = new ChaosOptions
        {
            Sluice = SluiceProcess.AppPath,
            Warehouses = [warehouse],
            Kills = 4,
            Restarts = 1,
            Configs = 8,
            Requests = 300,
            Log = line =>
            {
                lock (log)
                {
                    log.Add(line);
                }
            },
        };

        var result = await ChaosRun.RunAsync(options);

        Assert.Equal(8, result.Tallies.Count);
        Assert.All(result.Tallies, t => Assert.True(t.Tried > 0, $"{t.Category} tried nothing"));
        Assert.True(result.Tallies.Sum(t => t.Interrupted) > 0, $"no kill landed before its command finished, so none tested a recovery:\n{string.Join('\n', log)}");
        Assert.True(result.Failed == 0, string.Join('\n', result.Tallies.Where(t => t.Failed > 0).SelectMany(t => t.Examples.Select(e => $"{t.Category}: {e}")).Concat(log)));
    }
}
