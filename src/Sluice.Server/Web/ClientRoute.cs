using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Sluice.Server.Web;

/// <summary>
/// Matches the paths that the web app routes in the browser (<c>/</c>, <c>/dashboards/ops</c>,
/// and those to come): every path but the server's own areas. Those never reach the page, so a
/// mistyped API path stays a JSON 404 problem and a POST-only route still answers 405.
/// </summary>
internal sealed class ClientRoute : IRouteConstraint
{
    private static readonly string[] ServerAreas = ["api", "health", "metrics", "openapi", WebAssets.AssetsFolder];

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
    {
        var path = values.TryGetValue(routeKey, out var value) ? value as string : null;
        if (string.IsNullOrEmpty(path))
        {
            return true;
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? path : path[..slash];

        // Routing matches paths without regard to case, so /API/v1 is the API's too.
        return !ServerAreas.Contains(first, StringComparer.OrdinalIgnoreCase);
    }
}
