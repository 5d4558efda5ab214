using Sluice.Testing;

namespace Sluice.Bench;

/// <summary>
/// Where the TEEI project runs: the example as written (DuckDB file, the server's in-process
/// cache), or as the seed deploys it (a throwaway ClickHouse warehouse and a throwaway Redis for
/// answers and budgets, started from the installed binaries as the tests start them).
/// </summary>
internal abstract class TeeiDeployment : IAsyncDisposable
{
    public abstract string Name { get; }

    /// <summary>The warehouse and cache, for the report.</summary>
    public abstract string Description { get; }

    /// <summary>sluice.yml as this deployment has it.</summary>
    public abstract string Deploy(string sluiceYml);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static async Task<TeeiDeployment> StartAsync(string engine) => engine switch
    {
        "duckdb" => new DuckDbDeployment(),
        _ => await ClickHouseDeployment.StartAsync(),
    };

    private sealed class DuckDbDeployment : TeeiDeployment
    {
        public override string Name => "DuckDB";

        public override string Description => "the example as written: a DuckDB file, the server's in-process cache, budgets counted in `_sluice.query_budgets`";

        public override string Deploy(string sluiceYml) => sluiceYml;
    }

    private sealed class ClickHouseDeployment(ClickHouseServer clickHouse, RedisServer redis) : TeeiDeployment
    {
        private const string Database = "teei_analytics";
        private const string Embedded = "warehouse:\n  type: duckdb\n  path: teei.duckdb\n";
        private const string Cache = "  cache:\n    ttl:";

        public override string Name => "ClickHouse + Redis";

        public override string Description => "the block at the end of the example's sluice.yml: a throwaway ClickHouse server as the warehouse, `serve.cache.url` a throwaway Redis holding answers and budgets";

        public static async Task<ClickHouseDeployment> StartAsync()
        {
            var clickHouse = await ClickHouseServer.StartPrivateAsync();
            try
            {
                await clickHouse.QueryAsync($"create database {Database}");
                return new ClickHouseDeployment(clickHouse, await RedisServer.StartAsync());
            }
            catch
            {
                await clickHouse.DisposeAsync();
                throw;
            }
        }

        public override string Deploy(string sluiceYml) =>
            sluiceYml.Contains(Embedded, StringComparison.Ordinal) && sluiceYml.Contains(Cache, StringComparison.Ordinal)
                ? sluiceYml
                    .Replace(Embedded, $"warehouse:\n  type: clickhouse\n  url: {clickHouse.Url(Database)}\n", StringComparison.Ordinal)
                    .Replace(Cache, $"  cache:\n    url: {redis.Url()}\n    ttl:", StringComparison.Ordinal)
                : throw new InvalidOperationException("examples/teei/sluice.yml no longer has the DuckDB warehouse and serve.cache.ttl lines the ClickHouse deployment replaces; update TeeiDeployment to match it.");

        public override async ValueTask DisposeAsync()
        {
            await clickHouse.DisposeAsync();
            await redis.DisposeAsync();
        }
    }
}
