using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Sluice.Server.Http;

/// <summary>Writes problems as <c>application/problem+json</c>, each with the request's id.</summary>
internal static class ProblemResponses
{
    private static readonly Dictionary<int, string> Titles = new()
    {
        [StatusCodes.Status400BadRequest] = "Bad request",
        [StatusCodes.Status401Unauthorized] = "Unauthorized",
        [StatusCodes.Status403Forbidden] = "Forbidden",
        [StatusCodes.Status404NotFound] = "Not found",
        [StatusCodes.Status405MethodNotAllowed] = "Method not allowed",
        [StatusCodes.Status409Conflict] = "Conflict",
        [StatusCodes.Status429TooManyRequests] = "Too many requests",
        [StatusCodes.Status500InternalServerError] = "Internal server error",
        [StatusCodes.Status503ServiceUnavailable] = "Service unavailable",
    };

    /// <summary>The problem for <paramref name="status"/>, with the request's id and, when given, the parameter at fault.</summary>
    public static ProblemDetails Create(HttpContext context, int status, string detail, string? parameter = null)
    {
        var problem = new ProblemDetails
        {
            Type = $"https://httpstatuses.io/{status}",
            Title = Titles.GetValueOrDefault(status, "Error"),
            Status = status,
            Detail = detail,
            Instance = context.Request.Path,
        };
        if (parameter is not null)
        {
            problem.Extensions["parameter"] = parameter;
        }

        problem.Extensions["request_id"] = context.TraceIdentifier;
        return problem;
    }

    /// <summary>Writes a problem as the response, with <paramref name="headers"/>, unless the response has started.</summary>
    public static Task WriteAsync(HttpContext context, int status, string detail, string? parameter = null, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers ?? [])
        {
            context.Response.Headers[name] = value;
        }

        return Results.Problem(Create(context, status, detail, parameter)).ExecuteAsync(context);
    }
}
