using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sluice.Server.Dashboards;
using Sluice.Server.Http;

namespace Sluice.Server.Api;

/// <summary><c>/api/v1/dashboards</c>: the project's dashboards as the web app renders them.</summary>
internal static class DashboardsApi
{
    public static RouteGroupBuilder MapDashboardsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/dashboards", List).WithName("dashboards").WithSummary("The project's dashboards (dashboards/*.yml): name, title and panel count.");
        api.MapGet("/dashboards/{name}", Describe).WithName("dashboard").WithSummary("One dashboard's definition: its range, filters and panels, each with the API request that answers it.")
            .Produces<DashboardResponse>();
        return api;
    }

    private static Ok<DashboardListResponse> List(HttpContext context, ServedDashboards dashboards)
    {
        new RequestParameters(context.Request.Query).RejectUnknown();
        return TypedResults.Ok(new DashboardListResponse([.. dashboards.All.Select(d => new DashboardSummary(d.Name, d.Title, d.Description, d.Panels.Count, d.File))]));
    }

    private static Ok<DashboardResponse> Describe(string name, HttpContext context, ServedDashboards dashboards)
    {
        new RequestParameters(context.Request.Query).RejectUnknown();
        return TypedResults.Ok(dashboards.Find(name)
            ?? throw ApiProblem.NotFound("name", dashboards.All.Count == 0
                ? $"There is no dashboard '{RequestParameters.Shown(name)}': the project has none (add dashboards/*.yml)."
                : $"There is no dashboard '{RequestParameters.Shown(name)}'; dashboards: {string.Join(", ", dashboards.All.Select(d => d.Name))}."));
    }
}
