using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Sluice.Server.Web;

/// <summary>
/// Matches the paths that the web app routes in the browser: <c>/</c> and everything under the
/// areas of its router (web/src/app/router.ts): <c>/dashboards/ops?range=30d</c> reloads and
/// links like any page. Other paths stay the server's: a mistyped API path, a probe for
/// /favicon.ico or /wp-admin, are JSON 404 problems rather than a page that says nothing.
/// </summary>
internal sealed class ClientRoute : IRouteConstraint
{
    // The first segments the router answers (web/src: dashboard/, pipeline/ and models/ routes).
    private static readonly string[] Areas = ["dashboards", "pipeline", "models"];

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
    {
        var path = values.TryGetValue(routeKey, out var value) ? value as string : null;
        if (string.IsNullOrEmpty(path))
        {
            return true;
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? path : path[..slash];

        // Routing matches paths without regard to case; so does this.
        return Areas.Contains(first, StringComparer.OrdinalIgnoreCase);
    }
}
