using Sluice.Core.Metrics;
using Sluice.Core.Models;

namespace Sluice.Dashboards.Tests;

/// <summary>A metrics.yml's definitions, written as records: what the dashboards read is checked against them.</summary>
internal static class Catalogs
{
    public static MetricsCatalog Shop { get; } = new(
        "company_id",
        [
            Metric("revenue", Aggregation.Sum, "amount", "country", "plan"),
            Metric("orders", Aggregation.Count, null, "country"),
            Metric("latency", Aggregation.Max, "seconds"),
        ],
        [new FunnelDefinition("signup", Model("events"), "user_id", "at", "event", ["visit", "signup", "pay"], null, ["country"], "metrics.yml:20:5")],
        [new BenchmarkDefinition("revenue_peers", "revenue", "company_id", [new PeerGroup("plan", Model("companies"), "plan")], "metrics.yml:30:5")],
        [new ExposedModel(Model("daily"), [new ExposedFilter("country", "country", false), new ExposedFilter("d", "d", true)], "metrics.yml:40:5")],
        "metrics.yml");

    private static MetricDefinition Metric(string name, Aggregation aggregation, string? expression, params string[] dimensions) =>
        new(name, Model("orders_model"), "d", new Measure(aggregation, expression), dimensions, null, "metrics.yml:1:1");

    private static RelationReference Model(string name) => new(name, null, null);
}
