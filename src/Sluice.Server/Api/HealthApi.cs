using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sluice.Server.Access;
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
/// <param name="Name">What it is: "warehouse".</param>
/// <param name="Engine">Its engine.</param>
/// <param name="Location">Where it is, password masked.</param>
/// <param name="Status">"up" or "down".</param>
/// <param name="LatencyMs">How long a trivial query took.</param>
/// <param name="Version">The engine's version, when up.</param>
/// <param name="Error">Why it is down.</param>
public sealed record DependencyState(string Name, string Engine, string Location, string Status, double LatencyMs, string? Version, string? Error);

/// <summary>The answer of <c>/health/ready</c>.</summary>
/// <param name="Status">"ready" or "not_ready".</param>
/// <param name="Warehouse">Whether the warehouse answers.</param>
/// <param name="LastBuild">How the latest invocation of the pipeline ended: "success", "failed", "running" or "none".</param>
/// <param name="Reason">Why it is not ready.</param>
public sealed record ReadyResponse(string Status, string Warehouse, string LastBuild, string? Reason);

/// <summary><c>/health</c> and its probes, outside <c>/api/v1</c> where probes look for them.</summary>
internal static class HealthApi
{
    private static readonly long Started = Stopwatch.GetTimestamp();

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health");
        health.MapGet("/", () => TypedResults.Ok(new HealthResponse("ok", SluiceServer.Version, (long)Stopwatch.GetElapsedTime(Started).TotalSeconds)))
            .AllowWithoutKey().WithName("health").WithSummary("The server runs: its version and uptime.");
        health.MapGet("/live", () => TypedResults.Ok(new LiveResponse("live")))
            .AllowWithoutKey().WithName("live").WithSummary("Liveness probe: the process answers.");
        health.MapGet("/ready", ReadyAsync)
            .AllowWithoutKey().WithName("ready").WithSummary("Readiness probe: the warehouse answers and the latest pipeline invocation did not fail (else 503).");
        health.MapGet("/dependencies", DependenciesAsync)
            .RequireAdminKey().WithName("dependencies").WithSummary("The warehouse's state, engine version and latency (503 when down).");
        health.MapGet("/cache", (AnswerCache cache) => TypedResults.Ok(cache.Stats()))
            .RequireAdminKey().WithName("cache").WithSummary("The answer cache: hits, misses, hit rate, entries and bytes.");
        return app;
    }

    private static async Task<Results<Ok<ReadyResponse>, JsonHttpResult<ReadyResponse>>> ReadyAsync(QueryRunner runner, CancellationToken cancellationToken)
    {
        var warehouse = await WarehouseAsync(runner, cancellationToken);
        if (warehouse.Status != "up")
        {
            return TypedResults.Json(new ReadyResponse("not_ready", "down", "unknown", $"the warehouse does not answer: {warehouse.Error}"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var last = await LastBuildAsync(runner, cancellationToken);
        return last == "failed"
            ? TypedResults.Json(new ReadyResponse("not_ready", "up", last, "the latest pipeline invocation has failed runs; see /api/v1/runs"), statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(new ReadyResponse("ready", "up", last, null));
    }

    private static async Task<Results<Ok<DependencyState[]>, JsonHttpResult<DependencyState[]>>> DependenciesAsync(QueryRunner runner, CancellationToken cancellationToken)
    {
        var warehouse = await WarehouseAsync(runner, cancellationToken);
        return warehouse.Status == "up"
            ? TypedResults.Ok(new[] { warehouse })
            : TypedResults.Json(new[] { warehouse }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<DependencyState> WarehouseAsync(QueryRunner runner, CancellationToken cancellationToken)
    {
        var warehouse = runner.Warehouse;
        var watch = Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await using var session = await warehouse.OpenSessionAsync(timeout.Token);
            var version = await session.GetEngineVersionAsync(timeout.Token);
            return new DependencyState("warehouse", warehouse.Engine, warehouse.DisplayLocation, "up", Math.Round(watch.Elapsed.TotalMilliseconds, 3), version, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new DependencyState("warehouse", warehouse.Engine, warehouse.DisplayLocation, "down", Math.Round(watch.Elapsed.TotalMilliseconds, 3), null, Core.Project.SecretMasker.Mask(e.Message.Split('\n')[0]));
        }
    }

    // The latest invocation is the one whose first run started last.
    private static async Task<string> LastBuildAsync(QueryRunner runner, CancellationToken cancellationToken)
    {
        var table = $"{runner.Dialect.Quote(MetadataSchema.Name)}.job_runs";
        var sql = $"""
            select
                count(*) filter (where status = 'FAILED'),
                count(*) filter (where status = 'RUNNING'),
                count(*)
            from {table}
            where invocation_id = (select invocation_id from {table} order by started_at desc limit 1)
            """;
        var (state, _) = await runner.RunAsync(sql, [], async (reader, token) =>
        {
            await reader.ReadAsync(token);
            return QueryRunner.Long(reader, 2) == 0 ? "none"
                : QueryRunner.Long(reader, 0) > 0 ? "failed"
                : QueryRunner.Long(reader, 1) > 0 ? "running"
                : "success";
        }, cancellationToken);
        return state;
    }
}
