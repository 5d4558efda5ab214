using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Sluice.Server.Http;

/// <summary>
/// Turns what a handler throws into a problem response: <see cref="ApiProblem"/> as itself, a
/// malformed request as 400, anything else as 500 with the request id to look up in the log;
/// the exception's text stays in the log, out of the response.
/// </summary>
internal sealed class ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> logger)
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
        catch (Exception e)
        {
            logger.LogError(e, "Request {RequestId} {Method} {Path} failed", context.TraceIdentifier, context.Request.Method, context.Request.Path.Value);
            await ProblemResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, $"The server could not answer; the error is logged under request id {context.TraceIdentifier}.");
        }
    }
}
