using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Server.Catalog;
using Sluice.Server.Http;
using Sluice.Server.Queries;

namespace Sluice.Server.Api;

/// <summary><c>/api/v1/funnels/{name}</c>, <c>/api/v1/benchmarks/{name}</c> and <c>/api/v1/models/{model}/rows</c>.</summary>
internal static class InsightsApi
{
    public static RouteGroupBuilder MapInsightsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/funnels/{name}", FunnelAsync).WithName("funnel").ReadsWarehouse().WithSummary("Entities through a funnel's steps, with dropoff and conversion.")
            .Produces<FunnelResponse>().Produces(StatusCodes.Status304NotModified)
            .WithQuery(ParameterDocs.Range.With(ParameterDocs.Filter));
        api.MapGet("/benchmarks/{name}", BenchmarkAsync).WithName("benchmark").ReadsWarehouse().WithSummary("An entity's value of a metric against its peers'.")
            .Produces<BenchmarkResponse>().Produces(StatusCodes.Status304NotModified)
            .WithQuery(ParameterDocs.Range.With(
                new QueryParameter("entity", "The entity to compare with its peers.", Required: true),
                new QueryParameter("by", "The peer group: one of the benchmark's peer_groups (default: the first).")));
        api.MapGet("/models/{model}/rows", RowsAsync).WithName("rows").ReadsWarehouse().WithSummary("Rows of an exposed model, filtered by its declared filters, paged.")
            .Produces<RowsResponse>().Produces(StatusCodes.Status304NotModified)
            .WithDescription("Besides the parameters below, each filter the model declares in metrics.yml's expose: `<filter>=value` (repeatable), "
                + "and for range filters `<filter>_from` and `<filter>_to`; GET /api/v1/metrics lists them.")
            .WithQuery(
                QueryParameter.Number("limit", $"Rows per page, 1 to {RowsQuery.MaxLimit} (default 100)."),
                QueryParameter.Number("offset", $"Rows to skip, up to {RowsQuery.MaxOffset:N0} (default 0)."),
                new QueryParameter("order_by", "A column, optionally prefixed with - for descending (default: its first column)."));
        return api;
    }

    private static Task FunnelAsync(string name, HttpContext context, ServedCatalog catalog, QueryRunner runner, TimeProvider clock)
    {
        var funnel = catalog.Funnels.GetValueOrDefault(name)
            ?? throw ApiProblem.NotFound("name", $"There is no funnel '{RequestParameters.Shown(name)}'; funnels: {MetricsApi.Names(catalog.Funnels.Keys)}.");
        var query = FunnelQuery.Read(funnel, new RequestParameters(context.Request.Query), Caller.Of(context).Tenant, MetricsApi.Today(clock));
        return Answers.ServeAsync(context, "funnel", query.Key, token => query.RunAsync(runner, token));
    }

    private static Task BenchmarkAsync(string name, HttpContext context, ServedCatalog catalog, QueryRunner runner, TimeProvider clock)
    {
        var benchmark = catalog.Benchmarks.GetValueOrDefault(name)
            ?? throw ApiProblem.NotFound("name", $"There is no benchmark '{RequestParameters.Shown(name)}'; benchmarks: {MetricsApi.Names(catalog.Benchmarks.Keys)}.");
        var query = BenchmarkQuery.Read(benchmark, new RequestParameters(context.Request.Query), Caller.Of(context).Tenant, MetricsApi.Today(clock));
        return Answers.ServeAsync(context, "benchmark", query.Key, token => query.RunAsync(runner, token));
    }

    private static Task RowsAsync(string model, HttpContext context, ServedCatalog catalog, QueryRunner runner)
    {
        var rows = catalog.Rows.GetValueOrDefault(model)
            ?? throw ApiProblem.NotFound("model", $"'{RequestParameters.Shown(model)}' is not exposed; exposed models: {MetricsApi.Names(catalog.Rows.Keys)} (metrics.yml's expose lists them).");
        var query = RowsQuery.Read(rows, new RequestParameters(context.Request.Query), Caller.Of(context).Tenant);
        return Answers.ServeAsync(context, "rows", query.Key, token => query.RunAsync(runner, token));
    }
}
