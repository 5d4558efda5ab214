using Sluice.Core.Metrics;

namespace Sluice.Dashboards;

/// <summary>Which of a dashboard's filters apply to which panels, and where a filter's values come from.</summary>
public static class PanelFilters
{
    /// <summary>Whether the dashboard filter on <paramref name="dimension"/> narrows <paramref name="panel"/>'s data.</summary>
    public static bool Applies(Panel panel, string dimension, MetricsCatalog catalog) => Dimensions(panel, catalog).Contains(dimension);

    /// <summary>What <paramref name="panel"/> can be filtered by: its metric's or funnel's dimensions, or its exposed model's filters that take one value.</summary>
    public static IReadOnlyList<string> Dimensions(Panel panel, MetricsCatalog catalog) => panel.Source switch
    {
        MetricSource m => catalog.Metrics.First(x => x.Name == m.Metric).Dimensions,
        FunnelSource f => catalog.Funnels.First(x => x.Name == f.Funnel).Dimensions,
        ModelSource r => [.. catalog.Exposed.First(x => x.Name == r.Model).Filters.Where(x => !x.Range).Select(x => x.Name)],
        _ => [],
    };

    /// <summary>
    /// The metric whose rows give the picker's values: the first panel's metric with the
    /// dimension, else any metric with it; null when only exposed models have the filter.
    /// </summary>
    public static string? ValuesFrom(IReadOnlyList<Panel> panels, string dimension, MetricsCatalog catalog) =>
        panels.Select(p => p.Source).OfType<MetricSource>().Select(m => m.Metric)
            .Concat(catalog.Metrics.Select(m => m.Name))
            .FirstOrDefault(name => catalog.Metrics.First(m => m.Name == name).Dimensions.Contains(dimension));

    /// <summary>Everything the panels can be filtered by, for messages.</summary>
    internal static string Describe(IReadOnlyList<Panel> panels, MetricsCatalog catalog)
    {
        var all = panels.SelectMany(p => Dimensions(p, catalog)).Distinct().Order(StringComparer.Ordinal).ToList();
        return all.Count == 0 ? "nothing (no panel's metric declares dimensions)" : string.Join(", ", all);
    }
}
