using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Net.Http.Headers;
using Sluice.Server.Access;
using Sluice.Server.Http;

namespace Sluice.Server.Web;

/// <summary>
/// Serves the dashboard web app: its content-hashed files under <c>/assets/</c>, cached for a
/// year, and index.html for every client-side route, revalidated on each visit, so that a new
/// server version reaches browsers at once. No key is needed for the page: it asks the user for
/// one when the API answers 401.
/// </summary>
internal static class WebAppEndpoints
{
    // ECharts draws into a canvas and styles its own elements through the CSSOM, which a CSP
    // does not restrict; tooltips are built as elements too (web/src/charts/tooltip.ts), so no
    // inline style or script is needed.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const string Immutable = "public, max-age=31536000, immutable";

    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>Maps the web app's routes; the API's more specific routes take precedence.</summary>
    public static IEndpointRouteBuilder MapWebApp(this IEndpointRouteBuilder app)
    {
        var assets = WebAssets.Embedded;
        app.MapMethods($"/{WebAssets.AssetsFolder}/{{**file}}", Methods, (HttpContext context, string file) => SendAssetAsync(context, assets, file))
            .AllowWithoutKey().ExcludeFromDescription();
        var clientRoutes = RoutePatternFactory.Parse("/{**path}", defaults: null, parameterPolicies: new { path = new ClientRoute() });
        app.Map(clientRoutes, (HttpContext context) => SendIndexAsync(context, assets))
            .WithMetadata(new HttpMethodMetadata(Methods))
            .AllowWithoutKey().ExcludeFromDescription();
        return app;
    }

    private static Task SendAssetAsync(HttpContext context, WebAssets assets, string file) =>
        assets.Find($"{WebAssets.AssetsFolder}/{file}") is { } asset
            ? SendAsync(context, asset, Immutable)
            : ProblemResponses.WriteAsync(context, StatusCodes.Status404NotFound, $"The web app has no file {context.Request.Path}. Its files are named after their content, so a page from an older version of the server asks for files this one does not have: reload the page.");

    private static Task SendIndexAsync(HttpContext context, WebAssets assets)
    {
        if (assets.Index is not { } index)
        {
            return ProblemResponses.WriteAsync(context, StatusCodes.Status404NotFound, "This build of Sluice has no dashboard web app; the API is under /api/v1.");
        }

        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers["Referrer-Policy"] = "same-origin";
        return SendAsync(context, index, "no-cache");
    }

    private static Task SendAsync(HttpContext context, WebAsset asset, string cacheControl)
    {
        var response = context.Response;
        var gzip = asset.Gzipped is not null && AcceptsGzip(context.Request);
        var etag = gzip ? $"{asset.ETag[..^1]}-gz\"" : asset.ETag;
        response.Headers.CacheControl = cacheControl;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ETag = etag;
        if (asset.Gzipped is not null)
        {
            response.Headers.Vary = HeaderNames.AcceptEncoding;
        }

        if (IsCurrent(context.Request, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var body = gzip ? asset.Gzipped! : asset.Content;
        response.ContentType = asset.ContentType;
        response.ContentLength = body.Length;
        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
        }

        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e => (e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || e.Value == "*") && (e.Quality ?? 1) > 0);

    private static bool IsCurrent(HttpRequest request, string etag) =>
        request.GetTypedHeaders().IfNoneMatch.Any(t => t.Tag == "*" || t.Tag.Equals(etag, StringComparison.Ordinal));
}
