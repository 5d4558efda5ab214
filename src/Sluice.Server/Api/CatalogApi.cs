using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using Sluice.Core.Metrics;
using Sluice.Server.Catalog;

namespace Sluice.Server.Api;

/// <summary>A metric as the catalog describes it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Description">What it means.</param>
/// <param name="Relation">The model or source it reads.</param>
/// <param name="Aggregation">How it aggregates.</param>
/// <param name="Expression">What it aggregates, or null for a count of rows.</param>
/// <param name="Percentile">The percentile's fraction, for percentile metrics.</param>
/// <param name="Time">Its time column.</param>
/// <param name="Dimensions">What it may be grouped and filtered by.</param>
public sealed record MetricEntry(string Name, string? Description, string Relation, string Aggregation, string? Expression, double? Percentile, string Time, IReadOnlyList<string> Dimensions);

/// <summary>A funnel as the catalog describes it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Relation">The events' model or source.</param>
/// <param name="Entity">Who moves through the steps.</param>
/// <param name="Steps">The steps in order.</param>
/// <param name="WindowSeconds">How long after the first step later steps count, or null.</param>
/// <param name="Dimensions">What it may be filtered by.</param>
public sealed record FunnelEntry(string Name, string Relation, string Entity, IReadOnlyList<string> Steps, long? WindowSeconds, IReadOnlyList<string> Dimensions);

/// <summary>A benchmark as the catalog describes it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Metric">The metric compared.</param>
/// <param name="Entity">The entity column.</param>
/// <param name="PeerGroups">The values <c>by</c> takes.</param>
/// <param name="Peers">Where a tenant key's peers come from: <c>tenant</c> (its own rows) or <c>cross_tenant</c> (other tenants, as quartiles of at least <paramref name="MinPeers"/>).</param>
/// <param name="MinPeers">With <c>cross_tenant</c>, the fewest peers whose quartiles a tenant key sees; otherwise null.</param>
public sealed record BenchmarkEntry(string Name, string Metric, string Entity, IReadOnlyList<string> PeerGroups, string Peers, int? MinPeers);

/// <summary>An exposed relation as the catalog describes it.</summary>
/// <param name="Name">The name in its path.</param>
/// <param name="Columns">Its columns.</param>
/// <param name="Filters">Its filters: name to whether it takes a range.</param>
public sealed record ExposedEntry(string Name, IReadOnlyList<string> Columns, IReadOnlyDictionary<string, bool> Filters);

/// <summary>The answer of <c>/api/v1/metrics</c>.</summary>
/// <param name="Metrics">The metrics.</param>
/// <param name="Funnels">The funnels.</param>
/// <param name="Benchmarks">The benchmarks.</param>
/// <param name="Models">The relations served row by row.</param>
public sealed record CatalogResponse(IReadOnlyList<MetricEntry> Metrics, IReadOnlyList<FunnelEntry> Funnels, IReadOnlyList<BenchmarkEntry> Benchmarks, IReadOnlyList<ExposedEntry> Models);

/// <summary>The catalog: what the API serves.</summary>
internal static class CatalogApi
{
    public static Ok<CatalogResponse> Describe(ServedCatalog catalog, HttpContext context)
    {
        new Http.RequestParameters(context.Request.Query).RejectUnknown();
        return TypedResults.Ok(new CatalogResponse(
            [.. catalog.Metrics.Values.Select(m => new MetricEntry(
                m.Name,
                m.Definition.Description,
                m.Relation.Reference.DisplayName,
                AggregationName(m.Definition.Measure.Aggregation),
                m.Definition.Measure.Expression,
                m.Definition.Measure.Percentile,
                m.Time.Name,
                [.. m.Dimensions.Keys]))],
            [.. catalog.Funnels.Values.Select(f => new FunnelEntry(f.Name, f.Relation.Reference.DisplayName, f.Entity.Name, f.Definition.Steps, f.Definition.Window is { } w ? (long)w.TotalSeconds : null, [.. f.Dimensions.Keys]))],
            [.. catalog.Benchmarks.Values.Select(b => new BenchmarkEntry(
                b.Name,
                b.Metric.Name,
                b.Entity.Name,
                [.. b.PeerGroups.Keys],
                b.Definition.Peers.Name(),
                b.Definition.Peers == PeerScope.CrossTenant ? b.Definition.MinPeers : null))],
            [.. catalog.Rows.Values.Select(r => new ExposedEntry(r.Name, [.. r.Relation.Columns.Select(c => c.Name)], r.Filters.ToDictionary(f => f.Key, f => f.Value.Definition.Range)))]));
    }

    private static string AggregationName(Aggregation aggregation) => aggregation switch
    {
        Aggregation.CountDistinct => "count_distinct",
        _ => aggregation.ToString().ToLowerInvariant(),
    };
}
