using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Sluice.Server.Http;

namespace Sluice.Server.Api;

/// <summary>One entry point of the API.</summary>
/// <param name="Method">Its HTTP method.</param>
/// <param name="Path">Its route, with parameters in braces: <c>/api/v1/metrics/{name}/trend</c>.</param>
/// <param name="Summary">What it answers.</param>
public sealed record ApiEntryPoint(string Method, string Path, string? Summary);

/// <summary>The answer of <c>GET /api/v1</c>.</summary>
/// <param name="Description">Where the API's full description is.</param>
/// <param name="OpenApi">The path of the OpenAPI description.</param>
/// <param name="EntryPoints">Every route under <c>/api/v1</c>.</param>
public sealed record ApiIndex(string Description, string OpenApi, IReadOnlyList<ApiEntryPoint> EntryPoints);

/// <summary>
/// <c>GET /api/v1</c>: the API's entry points, read from the routes the server maps, so that the
/// list cannot go stale. Someone who finds the API's root learns where to go from there.
/// </summary>
internal static class IndexApi
{
    public const string Root = "/api/v1";

    public static RouteGroupBuilder MapIndexApi(this RouteGroupBuilder api)
    {
        api.MapGet(string.Empty, Index).WithName("index").WithSummary("The API's entry points: method, path and summary of each.");
        return api;
    }

    private static Ok<ApiIndex> Index(HttpContext context, EndpointDataSource endpoints)
    {
        new RequestParameters(context.Request.Query).RejectUnknown();
        var entries = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Path: "/" + (e.RoutePattern.RawText ?? string.Empty).Trim('/'), Endpoint: e))
            .Where(e => e.Path.StartsWith(Root + "/", StringComparison.Ordinal))
            .SelectMany(e => (e.Endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => new ApiEntryPoint(method, e.Path, e.Endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary)))
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new ApiIndex($"GET {OpenApiDocs.Path} describes every parameter and answer.", OpenApiDocs.Path, entries));
    }
}
