using System.Diagnostics;

namespace Sluice.Bench.Chaos;

/// <summary>The suite's outcome: every category's tally per warehouse, and how long it took.</summary>
public sealed record ChaosResult(IReadOnlyList<ChaosTally> Tallies, TimeSpan Elapsed)
{
    public int Failed => Tallies.Sum(t => t.Failed);
}

/// <summary>Runs every category of chaos against each warehouse in turn, each in a folder and on servers of its own.</summary>
public static class ChaosRun
{
    public static async Task<ChaosResult> RunAsync(ChaosOptions options)
    {
        var clock = Stopwatch.StartNew();
        var tallies = new List<ChaosTally>();
        foreach (var kind in options.Warehouses)
        {
            options.Log($"{kind}:");
            var random = new Random(options.Seed);
            ChaosTally Tally(string category, string what)
            {
                var tally = new ChaosTally(kind, category, what);
                tallies.Add(tally);
                return tally;
            }

            var work = Directory.CreateTempSubdirectory("sluice-chaos-").FullName;
            try
            {
                await using var world = await PipelineWorld.StartAsync(kind, work, options.Sluice, options.Seed);
                await world.MustAsync(world.ProjectDirectory, ["sync"]);
                await world.MustAsync(world.ProjectDirectory, ["build", .. world.WindowOptions]);
                await KillChaos.RunAsync(world, options.Kills, random, Tally, options.Log);
                await RestartChaos.SourceAsync(world, options.Restarts, random, Tally("restart source", "the product's database stopped at once and started again during `sluice sync`; fails on an exit code other than 0 or 1, a stack trace or secret in the output, or a next sync that does not converge"), options.Log);
                if (kind == ChaosWarehouse.Postgres)
                {
                    await RestartChaos.WarehouseAsync(world, options.Restarts, Tally("restart warehouse", "the PostgreSQL warehouse stopped at once and started again under a loop of API requests; fails on a 5xx other than 503, a 503 without Retry-After, an error that is not a problem, or no answer within a minute of its return"), options.Log);
                }
                else
                {
                    await RestartChaos.ServerAsync(world, options.Restarts, Tally("kill server", "`sluice serve` on the DuckDB file killed under a loop of API requests and started again; fails when it does not start, answers differ after, or an answer before the kill was a 5xx or not a problem"), options.Log);
                }

                await ConfigFuzz.RunAsync(world, options.Configs, random, Tally("corrupt config", $"a project file corrupted (lines deleted, doubled, swapped; cut short; garbage bytes; random file; hostile tokens; indentation), then `sluice compile`{(kind == ChaosWarehouse.DuckDb ? " and `sluice build`" : string.Empty)}; fails on an exit code other than 0, 1, 2, a stack trace or secret, a refusal naming no file, or a model of random bytes that compiles"), options.Log);
                await ApiFuzz.RunAsync(world, options.Requests, random, Tally("hostile API requests", "a request with mutated parameters (SQL injection, huge and unicode values, other tenants' ids) under a tenant key, the admin key, no key or a wrong one; fails on a 5xx, an error that is not a problem, a stack trace or secret, or another tenant's marker or id in a tenant key's answer"), options.Log);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }

        return new ChaosResult(tallies, clock.Elapsed);
    }
}
