using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Sluice.Server.Http;

namespace Sluice.Server.Observability;

/// <summary>
/// Gives each request its id (the client's <c>X-Request-Id</c> when it is a plain token of up to
/// 128 characters, else a new one), echoes it back, and when the answer is done logs one line —
/// id, method, route, path, status, duration and the key's name, never the key — and counts it
/// for <c>/metrics</c>.
/// </summary>
internal sealed partial class RequestLog(RequestDelegate next, ServerMetrics metrics, ILogger<RequestLog> logger)
{
    /// <summary>The header carrying the request id both ways.</summary>
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        context.TraceIdentifier = IdOf(context.Request.Headers);
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = context.TraceIdentifier;
            return Task.CompletedTask;
        });
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var route = context.GetEndpoint() is RouteEndpoint endpoint ? endpoint.RoutePattern.RawText ?? "unmatched" : "unmatched";
            metrics.RequestAnswered(context.Request.Method, route, status, elapsed.TotalSeconds);
            Answered(logger, context.TraceIdentifier, context.Request.Method, route, context.Request.Path.Value ?? "/", status, Math.Round(elapsed.TotalMilliseconds, 3), Caller.Of(context).Name);
        }
    }

    /// <summary>The id of a request with <paramref name="headers"/>: the client's, when it is a plain token, else a new one.</summary>
    public static string IdOf(IHeaderDictionary headers) =>
        headers[Header] is [{ } given] && RequestId().IsMatch(given) ? given : Guid.CreateVersion7().ToString("N");

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{RequestId} {Method} {Route} {Status} in {DurationMs} ms for {Caller} ({Path})")]
    private static partial void Answered(ILogger logger, string requestId, string method, string route, string path, int status, double durationMs, string caller);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex RequestId();
}
