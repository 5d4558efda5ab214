using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sluice.Server.Http;

/// <summary>
/// The sizes of request the API reads: a request target (path and query string) of up to
/// <see cref="MaxTargetBytes"/> and headers of up to <see cref="MaxHeaderBytes"/> in all;
/// larger ones get a 414 or 431 problem. Kestrel's own limits
/// (<see cref="KestrelRequestLineBytes"/>, <see cref="KestrelHeaderBytes"/>) are set well above
/// these, so that the refusal is the API's, with its request id and log line; only requests past
/// Kestrel's limits are refused by Kestrel (see <see cref="RejectedRequests"/>).
/// </summary>
internal sealed class RequestLimits(RequestDelegate next)
{
    /// <summary>The longest request target answered: room for long filter lists, whose values are limited one by one.</summary>
    public const int MaxTargetBytes = 64 * 1024;

    /// <summary>The most header bytes answered, as Kestrel's default.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Kestrel's limit on the request line.</summary>
    public const int KestrelRequestLineBytes = 256 * 1024;

    /// <summary>Kestrel's limit on the headers in all.</summary>
    public const int KestrelHeaderBytes = 256 * 1024;

    /// <summary>The largest body read: a job (<c>POST /api/v1/jobs</c>) is the only one, and small.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        if (target.Length > MaxTargetBytes)
        {
            return ProblemResponses.WriteAsync(context, StatusCodes.Status414UriTooLong, string.Create(CultureInfo.InvariantCulture, $"The request target is {target.Length} bytes long; the API reads up to {MaxTargetBytes}. Send fewer or shorter parameters."));
        }

        long headers = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                // As on the wire: "name: value" and the line's end.
                headers += name.Length + (value?.Length ?? 0) + 4;
            }
        }

        return headers > MaxHeaderBytes
            ? ProblemResponses.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, string.Create(CultureInfo.InvariantCulture, $"The request's headers are {headers} bytes in all; the API reads up to {MaxHeaderBytes}. Send fewer or shorter headers."))
            : next(context);
    }
}
