using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Server.Cache;
using Sluice.Server.Observability;
using Sluice.Server.Queries;

namespace Sluice.Server.Http;

/// <summary>
/// Answers a query endpoint: a 304 when the client holds the answer for the current data
/// version, else the cached answer, else a computed one (then cached); the body carries
/// <c>meta</c> with the cache state, the data version and the query's time.
/// </summary>
internal static class Answers
{
    private static readonly byte[] MetaProperty = ",\"meta\":"u8.ToArray();
    private static readonly byte[] End = "}"u8.ToArray();

    /// <summary>Serves the answer of <paramref name="key"/> for <paramref name="endpoint"/>, computing it with <paramref name="run"/> when needed.</summary>
    public static async Task ServeAsync<T>(HttpContext context, string endpoint, string key, Func<CancellationToken, Task<(T Response, double Milliseconds)>> run)
    {
        var services = context.RequestServices;
        var cache = services.GetRequiredService<IAnswerCache>();
        var metrics = services.GetRequiredService<ServerMetrics>();
        var version = await services.GetRequiredService<DataVersions>().CurrentAsync();

        // Equal keys at one data version have equal answers, so the tag needs no body.
        var etag = $"W/\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 8))}-{version}\"";
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = "private, no-cache";
        if (context.Request.Headers.IfNoneMatch.Any(tag => tag is not null && tag.Split(',').Any(t => t.Trim() == etag || t.Trim() == "*")))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            metrics.CacheHit(endpoint);
            return;
        }

        var answerKey = new AnswerKey(endpoint, Caller.Of(context).Tenant, key);
        var (body, state) = await cache.GetAsync(answerKey, version);
        double milliseconds = 0;
        if (body is not null)
        {
            metrics.CacheHit(endpoint);
        }
        else
        {
            metrics.CacheMiss(endpoint);
            (var answer, milliseconds) = await run(context.RequestAborted);
            body = JsonSerializer.SerializeToUtf8Bytes(answer, ApiJson.Options);
            await cache.PutAsync(answerKey, version, body);
        }

        var meta = JsonSerializer.SerializeToUtf8Bytes(new ResponseMeta(state, version, Math.Round(milliseconds, 3)), ApiJson.Options);
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length - 1 + MetaProperty.Length + meta.Length + 1;

        // Written into the response's pipe and flushed once: each write to the body stream would
        // be a send of its own.
        var writer = response.BodyWriter;
        writer.Write(body.AsSpan(0, body.Length - 1));
        writer.Write(MetaProperty);
        writer.Write(meta);
        writer.Write(End);
        await writer.FlushAsync(context.RequestAborted);
    }
}
