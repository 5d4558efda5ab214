using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Sluice.Server.Http;
using Sluice.Server.Observability;

namespace Sluice.Server.Access;

/// <summary>
/// The rate limits, on ASP.NET Core's rate limiter: a token bucket per API key (the key's
/// <see cref="KeyRate"/>, on the server's clock), and a fixed window per client address on <c>/health</c> and its
/// probes. Refusals are 429 problems with Retry-After.
/// </summary>
internal static class RateLimits
{
    /// <summary>Adds the limiter for <paramref name="settings"/>.</summary>
    public static IServiceCollection AddSluiceRateLimits(this IServiceCollection services, ServeSettings settings) =>
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, settings));
            options.OnRejected = RejectAsync;
        });

    private static RateLimitPartition<string> Partition(HttpContext context, ServeSettings settings)
    {
        if (IsHealth(context.Request.Path))
        {
            return RateLimitPartition.GetFixedWindowLimiter($"health:{context.Connection.RemoteIpAddress}", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.HealthPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        }

        return Caller.Of(context).Key is { } key
            ? RateLimitPartition.Get($"key:{key.Name}", _ => new ClockedTokenBucket(key.Rate.Burst, key.Rate.PerSecond, settings.Clock))
            : RateLimitPartition.GetNoLimiter("local");
    }

    private static bool IsHealth(PathString path) => path.StartsWithSegments("/health");

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        var (limit, detail) = IsHealth(context.Request.Path)
            ? ("health", $"The health endpoints answer each client a limited number of times per minute; retry in {seconds} s.")
            : ($"key:{Caller.Of(context).Name}", $"Key '{Caller.Of(context).Name}' is sending requests faster than its rate allows (serve.rate in sluice.yml); retry in {seconds} s.");
        context.RequestServices.GetRequiredService<ServerMetrics>().RateLimited(limit);
        await ProblemResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, detail, headers: [new(HeaderNames.RetryAfter, seconds.ToString(CultureInfo.InvariantCulture))]);
    }
}
