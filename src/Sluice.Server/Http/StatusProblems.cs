using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Sluice.Server.Http;

/// <summary>
/// Problems for error statuses set without a body by routing and the framework rather than by
/// Sluice's handlers: no route (404), a route without the method (405, keeping its Allow
/// header), a body of another media type than the endpoint reads (415), a request the framework
/// could not bind (400), and any other.
/// </summary>
internal static class StatusProblems
{
    public static Task WriteAsync(HttpContext context)
    {
        var request = context.Request;
        var status = context.Response.StatusCode;
        var allow = context.Response.Headers[HeaderNames.Allow].ToString();
        var detail = status switch
        {
            StatusCodes.Status404NotFound => $"Nothing is served at {request.Path}; the API is under /api/v1 (GET /api/v1 lists its entry points).",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not accepted at {request.Path}{(allow.Length > 0 ? $"; it takes {allow}" : string.Empty)}.",
            StatusCodes.Status415UnsupportedMediaType => $"{request.Method} {request.Path} takes a JSON body, not {(string.IsNullOrEmpty(request.ContentType) ? "a body without a Content-Type" : request.ContentType)}; send it with Content-Type: application/json.",
            StatusCodes.Status400BadRequest => $"The request to {request.Path} could not be read; check its body and parameters.",
            _ => $"{ProblemResponses.Title(status)}: {request.Method} {request.Path}.",
        };
        return ProblemResponses.WriteAsync(context, status, detail, headers: allow.Length > 0 ? [new(HeaderNames.Allow, allow)] : null);
    }
}
