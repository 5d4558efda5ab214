using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Sluice.Server.Http;

/// <summary>Writes problems as <c>application/problem+json</c>, each with the request's id.</summary>
internal static class ProblemResponses
{
    /// <summary>The Retry-After of a 503 for a warehouse that does not answer: about as long as a server restart takes.</summary>
    public const int UnavailableRetrySeconds = 5;

    private static readonly Dictionary<int, string> Titles = new()
    {
        [StatusCodes.Status400BadRequest] = "Bad request",
        [StatusCodes.Status401Unauthorized] = "Unauthorized",
        [StatusCodes.Status403Forbidden] = "Forbidden",
        [StatusCodes.Status404NotFound] = "Not found",
        [StatusCodes.Status405MethodNotAllowed] = "Method not allowed",
        [StatusCodes.Status408RequestTimeout] = "Request timeout",
        [StatusCodes.Status409Conflict] = "Conflict",
        [StatusCodes.Status411LengthRequired] = "Length required",
        [StatusCodes.Status413PayloadTooLarge] = "Content too large",
        [StatusCodes.Status414UriTooLong] = "URI too long",
        [StatusCodes.Status415UnsupportedMediaType] = "Unsupported media type",
        [StatusCodes.Status429TooManyRequests] = "Too many requests",
        [StatusCodes.Status431RequestHeaderFieldsTooLarge] = "Request header fields too large",
        [StatusCodes.Status500InternalServerError] = "Internal server error",
        [StatusCodes.Status503ServiceUnavailable] = "Service unavailable",
        [StatusCodes.Status505HttpVersionNotsupported] = "HTTP version not supported",
    };

    /// <summary>The title of a problem with <paramref name="status"/>.</summary>
    public static string Title(int status) => Titles.GetValueOrDefault(status, "Error");

    /// <summary>The problem for <paramref name="status"/>, with the request's id and, when given, the parameter at fault.</summary>
    public static ProblemDetails Create(HttpContext context, int status, string detail, string? parameter = null) =>
        Create(status, detail, context.Request.Path, context.TraceIdentifier, parameter);

    /// <summary>The problem for <paramref name="status"/> about the request at <paramref name="instance"/> (null when unknown) with id <paramref name="requestId"/>.</summary>
    public static ProblemDetails Create(int status, string detail, string? instance, string requestId, string? parameter = null)
    {
        var problem = new ProblemDetails
        {
            Type = $"https://httpstatuses.io/{status}",
            Title = Title(status),
            Status = status,
            Detail = detail,
            Instance = instance,
        };
        if (parameter is not null)
        {
            problem.Extensions["parameter"] = parameter;
        }

        problem.Extensions["request_id"] = requestId;
        return problem;
    }

    /// <summary>
    /// A 503 for an endpoint to return, with Retry-After (<see cref="UnavailableRetrySeconds"/>)
    /// and <paramref name="extensions"/> beside the usual members.
    /// </summary>
    public static ProblemHttpResult Unavailable(HttpContext context, string detail, IEnumerable<KeyValuePair<string, object?>> extensions)
    {
        var problem = Create(context, StatusCodes.Status503ServiceUnavailable, detail);
        foreach (var (name, value) in extensions)
        {
            problem.Extensions[name] = value;
        }

        context.Response.Headers.RetryAfter = UnavailableRetrySeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(problem);
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
