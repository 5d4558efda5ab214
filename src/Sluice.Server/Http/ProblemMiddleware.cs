using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Sluice.Core.Project;

namespace Sluice.Server.Http;

/// <summary>
/// Turns what a handler throws into a problem response: <see cref="ApiProblem"/> as itself, a
/// malformed request as its 4xx, a warehouse that does not answer (down, restarting, out of
/// connections) as 503 with Retry-After, anything else as 500 with the request id to look up in
/// the log; the exception's text stays in the log, out of the response.
/// </summary>
internal sealed partial class ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiProblem problem)
        {
            await ProblemResponses.WriteAsync(context, problem.Status, problem.Message, problem.Parameter);
        }
        catch (BadHttpRequestException e)
        {
            await ProblemResponses.WriteAsync(context, e.StatusCode, e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (WarehouseException e) when (e.IsTransient)
        {
            WarehouseUnavailable(logger, context.TraceIdentifier, context.Request.Method, context.Request.Path.Value ?? "/", SecretMasker.Mask(e.Message.Split('\n', 2)[0]));
            await ProblemResponses.WriteAsync(
                context,
                StatusCodes.Status503ServiceUnavailable,
                $"The warehouse does not answer (it may be restarting); retry in {ProblemResponses.UnavailableRetrySeconds} s. The error is logged under request id {context.TraceIdentifier}.",
                headers: [new(HeaderNames.RetryAfter, ProblemResponses.UnavailableRetrySeconds.ToString(CultureInfo.InvariantCulture))]);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Request {RequestId} {Method} {Path} failed", context.TraceIdentifier, context.Request.Method, context.Request.Path.Value);
            await ProblemResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, $"The server could not answer; the error is logged under request id {context.TraceIdentifier}.");
        }
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Request {RequestId} {Method} {Path}: the warehouse does not answer ({Error})")]
    private static partial void WarehouseUnavailable(ILogger logger, string requestId, string method, string path, string error);
}
