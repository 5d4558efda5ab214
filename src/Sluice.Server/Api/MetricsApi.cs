using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Server.Catalog;
using Sluice.Server.Http;
using Sluice.Server.Queries;

namespace Sluice.Server.Api;

/// <summary><c>/api/v1/metrics</c>: the catalog, and each metric's trend and cohorts.</summary>
internal static class MetricsApi
{
    public static RouteGroupBuilder MapMetricsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/metrics", CatalogApi.Describe).WithName("catalog").WithSummary("Metrics, dimensions, funnels, benchmarks and exposed models.");
        api.MapGet("/metrics/{name}/trend", TrendAsync).WithName("trend").ReadsWarehouse().WithSummary("A metric per day, week or month, optionally grouped and filtered by dimensions.")
            .Produces<TrendResponse>().Produces(StatusCodes.Status304NotModified)
            .WithQuery(ParameterDocs.Range.With(
                new QueryParameter("granularity", "day (default), week, month, or total (one period for the whole range, keyed by its first day)."),
                new QueryParameter("group_by", $"Up to {TrendQuery.MaxGroupBy} of the metric's dimensions, comma-separated."),
                ParameterDocs.Filter,
                QueryParameter.Number("page", "Page of periods, from 1 (default 1)."),
                QueryParameter.Number("page_size", $"Periods per page, 1 to {TrendQuery.MaxPageSize} (default 100).")));
        api.MapGet("/metrics/{name}/cohorts", CohortsAsync).WithName("cohorts").ReadsWarehouse().WithSummary("The distribution of a metric's value per value of a dimension.")
            .Produces<CohortsResponse>().Produces(StatusCodes.Status304NotModified)
            .WithQuery(ParameterDocs.Range.With(
                new QueryParameter("by", "The dimension whose values make the cohorts.", Required: true),
                new QueryParameter("cohorts", $"Up to {CohortQuery.MaxCohorts} values of it, comma-separated (default: its {CohortQuery.MaxCohorts} most frequent)."),
                ParameterDocs.Filter));
        api.MapGet("/metrics/{name}/dimensions/{dimension}/values", DimensionValuesAsync).WithName("dimension-values").ReadsWarehouse().WithSummary("The values a dimension takes in a metric's rows, most frequent first: what a dashboard's filter offers.")
            .Produces<DimensionValuesResponse>().Produces(StatusCodes.Status304NotModified)
            .WithQuery(ParameterDocs.Range.With(QueryParameter.Number("limit", $"Values to return, 1 to {DimensionValuesQuery.MaxLimit} (default 100).")));
        return api;
    }

    private static Task TrendAsync(string name, HttpContext context, ServedCatalog catalog, QueryRunner runner, BuiltRollups rollups, TimeProvider clock)
    {
        var query = TrendQuery.Read(Metric(catalog, name), new RequestParameters(context.Request.Query), Caller.Of(context).Tenant, Today(clock));
        return Answers.ServeAsync(context, "trend", query.Key, token => query.RunAsync(runner, rollups, token));
    }

    private static Task CohortsAsync(string name, HttpContext context, ServedCatalog catalog, QueryRunner runner, TimeProvider clock)
    {
        var query = CohortQuery.Read(Metric(catalog, name), new RequestParameters(context.Request.Query), Caller.Of(context).Tenant, Today(clock));
        return Answers.ServeAsync(context, "cohorts", query.Key, token => query.RunAsync(runner, token));
    }

    private static Task DimensionValuesAsync(string name, string dimension, HttpContext context, ServedCatalog catalog, QueryRunner runner, TimeProvider clock)
    {
        var query = DimensionValuesQuery.Read(Metric(catalog, name), dimension, new RequestParameters(context.Request.Query), Caller.Of(context).Tenant, Today(clock));
        return Answers.ServeAsync(context, "dimension-values", query.Key, token => query.RunAsync(runner, token));
    }

    /// <summary>The metric named <paramref name="name"/>, or a 404 listing those there are.</summary>
    public static ServedMetric Metric(ServedCatalog catalog, string name) =>
        catalog.Metrics.GetValueOrDefault(name)
        ?? throw ApiProblem.NotFound("name", $"There is no metric '{RequestParameters.Shown(name)}'; metrics: {Names(catalog.Metrics.Keys)}.");

    /// <summary>Today, UTC: the default end of a range.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Names for a message; "none" when there are none.</summary>
    public static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "none (metrics.yml declares none)" : string.Join(", ", list);
    }
}
