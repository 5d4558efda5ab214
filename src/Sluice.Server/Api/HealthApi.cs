using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sluice.Core.Project;
using Sluice.Models.State;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Server.Access;
using Sluice.Server.Cache;
using Sluice.Server.Http;
using Sluice.Server.Queries;
using Sluice.Warehouses.Metadata;

namespace Sluice.Server.Api;

/// <summary>The answer of <c>/health</c>.</summary>
/// <param name="Status">"ok".</param>
/// <param name="Version">Sluice's version.</param>
/// <param name="UptimeSeconds">Seconds since the server started.</param>
public sealed record HealthResponse(string Status, string Version, long UptimeSeconds);

/// <summary>The answer of <c>/health/live</c>.</summary>
/// <param name="Status">"live".</param>
public sealed record LiveResponse(string Status);

/// <summary>One dependency's state.</summary>
/// <param name="Name">What it is: "warehouse", or "redis" (the shared cache and budgets).</param>
/// <param name="Engine">Its engine.</param>
/// <param name="Location">Where it is, password masked.</param>
/// <param name="Status">"up" or "down".</param>
/// <param name="LatencyMs">How long a trivial query took.</param>
/// <param name="Version">The engine's version, when up.</param>
/// <param name="Error">Why it is down.</param>
public sealed record DependencyState(string Name, string Engine, string Location, string Status, double LatencyMs, string? Version, string? Error);

/// <summary>The answer of <c>/health/ready</c> when ready; not ready is a 503 problem with <c>warehouse</c> and <c>last_build</c>.</summary>
/// <param name="Status">"ready".</param>
/// <param name="Warehouse">"up": the warehouse answers.</param>
/// <param name="LastBuild">How the latest invocation of the pipeline ended: "success", "running" or "none".</param>
/// <param name="Reason">Null when ready.</param>
public sealed record ReadyResponse(string Status, string Warehouse, string LastBuild, string? Reason);

/// <summary>When the server started listening, for its uptime.</summary>
internal sealed record ServerStart(DateTimeOffset At);

/// <summary><c>/health</c> and its probes, outside <c>/api/v1</c> where probes look for them.</summary>
internal static class HealthApi
{
    // How long a probe waits for the warehouse before calling it down.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health");
        health.MapGet("/", (ServeSettings settings, ServerStart start, TimeProvider clock) =>
                TypedResults.Ok(new HealthResponse("ok", settings.Version, (long)Math.Max(0, (clock.GetUtcNow() - start.At).TotalSeconds))))
            .AllowWithoutKey().WithName("health").WithSummary("The server runs: its version and uptime.");
        health.MapGet("/live", () => TypedResults.Ok(new LiveResponse("live")))
            .AllowWithoutKey().WithName("live").WithSummary("Liveness probe: the process answers.");
        health.MapGet("/ready", ReadyAsync)
            .AllowWithoutKey().WithName("ready").ReadsWarehouse().WithSummary("Readiness probe: the warehouse answers and the latest pipeline invocation did not fail (else 503).");
        health.MapGet("/dependencies", DependenciesAsync)
            .RequireAdminKey().WithName("dependencies").ReadsWarehouse().WithSummary("The warehouse's and, when configured, Redis's state, version and latency (503 when the warehouse is down).");
        health.MapGet("/cache", async (IAnswerCache cache) => TypedResults.Ok(await cache.StatsAsync()))
            .RequireAdminKey().WithName("cache").WithSummary("The answer cache: backend (memory or redis), status (up or degraded), hits, misses and hit rate (across servers on Redis), this server's own, entries and bytes (in memory).");
        return app;
    }

    private static async Task<Results<Ok<ReadyResponse>, ProblemHttpResult>> ReadyAsync(HttpContext context, QueryRunner runner, CancellationToken cancellationToken)
    {
        string last;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            last = await LastBuildAsync(runner, timeout.Token);
        }
        catch (Exception e) when (e is WarehouseException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return NotReady(context, "down", "unknown", $"the warehouse does not answer: {Reason(e)}");
        }

        return last == "failed"
            ? NotReady(context, "up", last, "the latest pipeline invocation has failed runs; see /api/v1/runs")
            : TypedResults.Ok(new ReadyResponse("ready", "up", last, null));
    }

    // Not ready is a problem like every other error, with the probe's findings beside its detail.
    private static ProblemHttpResult NotReady(HttpContext context, string warehouse, string lastBuild, string reason) =>
        ProblemResponses.Unavailable(context, $"Not ready: {reason}.", [new("warehouse", warehouse), new("last_build", lastBuild)]);

    // Redis down is reported, not a 503: the API answers from the warehouse without it (only
    // keys with a budget are refused once their permits in hand are used).
    private static async Task<Results<Ok<DependencyState[]>, ProblemHttpResult>> DependenciesAsync(HttpContext context, QueryRunner runner, IServiceProvider services, CancellationToken cancellationToken)
    {
        var redis = services.GetService<RedisStore>();
        var probes = await Task.WhenAll(WarehouseAsync(runner, cancellationToken), redis is null ? Task.FromResult<DependencyState?>(null) : RedisAsync(redis));
        var warehouse = probes[0]!;
        DependencyState[] states = [.. probes.OfType<DependencyState>()];
        return warehouse.Status == "up"
            ? TypedResults.Ok(states)
            : ProblemResponses.Unavailable(context, $"The warehouse does not answer: {warehouse.Error}.", [new("dependencies", states)]);
    }

    private static async Task<DependencyState?> RedisAsync(RedisStore redis)
    {
        var probe = await redis.ProbeAsync();
        return new DependencyState("redis", "redis", redis.Display, probe.Up ? "up" : "down", probe.LatencyMs, probe.Version, probe.Error);
    }

    private static async Task<DependencyState?> WarehouseAsync(QueryRunner runner, CancellationToken cancellationToken)
    {
        var warehouse = runner.Warehouse;
        var watch = Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);

            // A query, not only a connection: a pooled connection may be open on the client's side
            // of a server that has since restarted.
            var version = await warehouse.ReadAsync(
                async (session, token) =>
                {
                    await session.ScalarAsync("select 1", cancellationToken: token);
                    return await session.GetEngineVersionAsync(token);
                },
                timeout.Token);
            return new DependencyState("warehouse", warehouse.Engine, warehouse.DisplayLocation, "up", Math.Round(watch.Elapsed.TotalMilliseconds, 3), version, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new DependencyState("warehouse", warehouse.Engine, warehouse.DisplayLocation, "down", Math.Round(watch.Elapsed.TotalMilliseconds, 3), null, Reason(e));
        }
    }

    private static string Reason(Exception error) => error is OperationCanceledException
        ? $"no answer within {ProbeTimeout.TotalSeconds:0} s"
        : SecretMasker.Mask(error.Message.Split('\n')[0]);

    // The latest invocation is the one with the latest run. Partitions left alone because they
    // were built before do not count: an invocation that only asked again for built days did
    // nothing, and must not hide the failure of the one before.
    private static async Task<string> LastBuildAsync(QueryRunner runner, CancellationToken cancellationToken)
    {
        var table = $"{runner.Dialect.Quote(MetadataSchema.Name)}.job_runs";
        var sql = $"""
            select
                cast({runner.Dialect.CountWhere("status = 'FAILED'")} as bigint),
                cast({runner.Dialect.CountWhere("status = 'RUNNING'")} as bigint),
                count(*)
            from {table}
            where invocation_id = (select invocation_id from {table} where {RunHistory.NotAlreadyBuilt} order by started_at desc limit 1)
            """;
        // Straight to the warehouse, not through the runner's query slots: a probe must measure
        // the warehouse, not how busy the API is.
        return await runner.Warehouse.ReadAsync(
            async (session, token) =>
            {
                await using var reader = await session.QueryAsync(sql, cancellationToken: token);
                await reader.ReadAsync(token);
                return QueryRunner.Long(reader, 2) == 0 ? "none"
                    : QueryRunner.Long(reader, 0) > 0 ? "failed"
                    : QueryRunner.Long(reader, 1) > 0 ? "running"
                    : "success";
            },
            cancellationToken);
    }
}
