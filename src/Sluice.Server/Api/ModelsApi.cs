using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sluice.Server.Access;
using Sluice.Server.Catalog;
using Sluice.Server.Http;
using Sluice.Server.Observability;
using Sluice.Server.Pipeline;
using Sluice.Server.Queries;

namespace Sluice.Server.Api;

/// <summary><c>/api/v1/lineage</c>, <c>/api/v1/models/{name}</c> and <c>/api/v1/server</c>: the project's graph, each model's SQL, columns and checks, and the server's own counts (admin keys).</summary>
internal static class ModelsApi
{
    public static RouteGroupBuilder MapModelsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/lineage", Describe).RequireAdminKey().WithName("lineage")
            .WithSummary("Every model, seed, snapshot and source table read, with what each reads and what reads it.");
        api.MapGet("/models/{name}", ModelAsync).RequireAdminKey().WithName("model").ReadsWarehouse()
            .WithSummary("One model, seed or snapshot: its SQL as written and compiled, its columns (types from the warehouse, descriptions from the property files), its checks with their latest results, and its neighbours.");
        api.MapGet("/server", (HttpContext context, ServerMetrics metrics, ServerStart start, TimeProvider clock) =>
            {
                new RequestParameters(context.Request.Query).RejectUnknown();
                return TypedResults.Ok(metrics.Read(start.At, clock.GetUtcNow()));
            })
            .RequireAdminKey().WithName("server").WithSummary("What this server process has answered since it started: requests by route and status with their median and 95th percentile, cache hits and misses by endpoint, budget and rate-limit refusals.");
        return api;
    }

    private static Ok<LineageResponse> Describe(HttpContext context, ServedCatalog catalog)
    {
        new RequestParameters(context.Request.Query).RejectUnknown();
        return TypedResults.Ok(new LineageResponse(Lineage.Build(catalog.Project)));
    }

    private static async Task<Ok<ModelResponse>> ModelAsync(string name, HttpContext context, ServedCatalog catalog, QueryRunner runner, TimeProvider clock, CancellationToken cancellationToken)
    {
        new RequestParameters(context.Request.Query).RejectUnknown();
        var project = catalog.Project;
        var model = project.Nodes.GetValueOrDefault(name)
            ?? throw ApiProblem.NotFound("name", $"There is no model, seed or snapshot '{RequestParameters.Shown(name)}'; GET /api/v1/lineage lists them.");
        return TypedResults.Ok(await runner.Warehouse.ReadAsync((session, token) => ModelPage.DescribeAsync(project, model, session, clock, token), cancellationToken));
    }
}
