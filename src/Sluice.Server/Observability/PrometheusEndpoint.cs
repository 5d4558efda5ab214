using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sluice.Server.Access;
using Sluice.Server.Cache;
using Sluice.Server.Http;
using Sluice.Server.Queries;

namespace Sluice.Server.Observability;

/// <summary><c>/metrics</c> in Prometheus' text format 0.0.4: the server's own counters, the cache's size and the pipeline's history.</summary>
internal static class PrometheusEndpoint
{
    public static IEndpointRouteBuilder MapPrometheus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", WriteAsync).RequireAdminKey().WithName("prometheus").ReadsWarehouse()
            .WithSummary("Prometheus metrics (text format 0.0.4): requests, durations, cache, budgets, rate limits, job runs, syncs and checks.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        return app;
    }

    private static async Task WriteAsync(HttpContext context, ServerMetrics metrics, IAnswerCache cache, QueryRunner runner, CancellationToken cancellationToken)
    {
        var text = new PrometheusText();
        metrics.WriteTo(text);
        var stats = await cache.StatsAsync();
        if (stats.Entries is { } entries && stats.Bytes is { } bytes)
        {
            // In memory only: a shared Redis reports its own memory.
            text.Family("sluice_cache_entries", "gauge", "Answers held in the cache.");
            text.Sample("sluice_cache_entries", [], entries);
            text.Family("sluice_cache_bytes", "gauge", "Bytes of answers held in the cache.");
            text.Sample("sluice_cache_bytes", [], bytes);
        }

        text.Family("sluice_cache_up", "gauge", "1 while the answer cache answers; 0 while its Redis does not (answers then come from the warehouse).");
        text.Sample("sluice_cache_up", [new("backend", stats.Backend)], stats.Status == "up" ? 1 : 0);
        await PipelineMetrics.WriteToAsync(text, runner, cancellationToken);
        context.Response.ContentType = PrometheusText.ContentType;
        await context.Response.WriteAsync(text.ToString(), cancellationToken);
    }
}
