using Sluice.Dashboards;
using Sluice.Server.Api;
using Sluice.Server.Catalog;

namespace Sluice.Server.Dashboards;

/// <summary>Turns a panel's source into the API request that answers it, so that the page needs to know no endpoint.</summary>
internal static class PanelQueries
{
    // The most periods a trend answers per page; the page fetches further pages itself.
    private const string TrendPageSize = "1000";

    private static readonly QueryRange Days = new("from", "to");

    public static PanelQuery? For(PanelSource? source, ServedCatalog catalog) => source switch
    {
        MetricSource m => new PanelQuery(
            "trend",
            $"{IndexApi.Root}/metrics/{Escape(m.Metric)}/trend",
            With(Filters(m.Filters), ("granularity", [m.Granularity]), ("group_by", m.GroupBy.Count > 0 ? [string.Join(",", m.GroupBy)] : []), ("page_size", [TrendPageSize])),
            Days,
            "filter[{name}]"),
        FunnelSource f => new PanelQuery("funnel", $"{IndexApi.Root}/funnels/{Escape(f.Funnel)}", Filters(f.Filters), Days, "filter[{name}]"),
        BenchmarkSource b => new PanelQuery(
            "benchmark",
            $"{IndexApi.Root}/benchmarks/{Escape(b.Benchmark)}",
            With([], ("entity", [b.Entity]), ("by", b.By is null ? [] : [b.By])),
            Days,
            null),
        ModelSource r => new PanelQuery(
            "rows",
            $"{IndexApi.Root}/models/{Escape(r.Model)}/rows",
            new Dictionary<string, IReadOnlyList<string>>(r.Filters, StringComparer.Ordinal),
            catalog.Rows[r.Model].Filters.Values.FirstOrDefault(f => f.Definition.Range)?.Definition.Name is { } range ? new QueryRange($"{range}_from", $"{range}_to") : null,
            "{name}"),
        _ => null,
    };

    private static Dictionary<string, IReadOnlyList<string>> Filters(IReadOnlyDictionary<string, IReadOnlyList<string>> filters) =>
        filters.ToDictionary(f => $"filter[{f.Key}]", f => f.Value, StringComparer.Ordinal);

    private static Dictionary<string, IReadOnlyList<string>> With(Dictionary<string, IReadOnlyList<string>> parameters, params (string Name, IReadOnlyList<string> Values)[] more)
    {
        foreach (var (name, values) in more.Where(m => m.Values.Count > 0))
        {
            parameters[name] = values;
        }

        return parameters;
    }

    private static string Escape(string name) => Uri.EscapeDataString(name);
}
