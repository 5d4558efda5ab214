using Sluice.Core.Metrics;
using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Dashboards;

/// <summary>Reads what a panel reads, checking each name against metrics.yml.</summary>
internal static class SourceReader
{
    private static readonly string[] Granularities = ["day", "week", "month", "total"];

    public static MetricSource Metric(ConfigFile file, YamlNode node, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, PanelType type, MetricsCatalog catalog, string what)
    {
        var name = Named(file, node, catalog.Metrics.Select(m => m.Name), "metric", what);
        var metric = catalog.Metrics.First(m => m.Name == name);
        var groupBy = new List<string>();
        if (entries.TryGetValue("group_by", out var groupEntry))
        {
            foreach (var (dimension, item) in Listed(file, groupEntry.Value, $"{what}: group_by"))
            {
                Dimension(file, item, dimension, metric.Dimensions, $"metric '{name}'", what);
                groupBy.Add(dimension);
            }

            if (groupBy.Count > PanelReader.MaxGroupBy)
            {
                throw file.Error(groupEntry.Value, $"{what}: group_by takes up to {PanelReader.MaxGroupBy} dimensions, not {groupBy.Count}.");
            }
        }

        if (type is PanelType.Pie or PanelType.Heatmap && groupBy.Count != 1)
        {
            throw file.Error(groupEntry.Value ?? node, $"{what}: a {type.Name()} panel needs group_by with exactly one of metric '{name}''s dimensions ({Names(metric.Dimensions)}): {(type == PanelType.Pie ? "one slice per value" : "one row per value")}.");
        }

        var granularity = type switch
        {
            PanelType.Pie or PanelType.Number => "total",
            _ when entries.TryGetValue("granularity", out var g) => Choice(file, g.Value, Granularities, $"{what}: granularity"),
            _ => "day",
        };
        if (type == PanelType.Heatmap && granularity == "total")
        {
            throw file.Error(entries["granularity"].Value, $"{what}: a heatmap shows periods side by side; use day, week or month.");
        }

        return new MetricSource(name, granularity, groupBy, Filters(file, entries, metric.Dimensions, $"metric '{name}'", what));
    }

    public static BenchmarkSource Benchmark(ConfigFile file, YamlNode node, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, MetricsCatalog catalog, string what)
    {
        var name = Named(file, node, catalog.Benchmarks.Select(b => b.Name), "benchmark", what);
        var benchmark = catalog.Benchmarks.First(b => b.Name == name);
        var entity = entries.TryGetValue("entity", out var e)
            ? file.ReadString(e.Value, $"{what}: entity")
            : throw file.Error(node, $"{what}: a benchmark panel needs entity: the value of {benchmark.Entity} to compare with its peers.");
        string? by = null;
        if (entries.TryGetValue("by", out var b))
        {
            by = Choice(file, b.Value, benchmark.PeerGroups.Select(p => p.Name).ToList(), $"{what}: by (benchmark '{name}''s peer groups)");
        }

        return new BenchmarkSource(name, entity, by);
    }

    public static ModelSource Model(ConfigFile file, YamlNode node, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, MetricsCatalog catalog, string what)
    {
        var name = file.ReadString(node, $"{what}: model");
        var model = catalog.Exposed.FirstOrDefault(m => m.Name == name)
            ?? throw file.Error(node, catalog.Exposed.Count == 0
                ? $"{what}: model '{name}' is not exposed: metrics.yml exposes no model; add it under expose: to show its rows."
                : $"{what}: model '{name}' is not exposed; exposed models: {string.Join(", ", catalog.Exposed.Select(m => m.Name))} (metrics.yml's expose lists them).");
        foreach (var key in new[] { "granularity", "group_by" }.Where(entries.ContainsKey))
        {
            throw file.Error(entries[key].Key, $"{what}: {key} applies to a table of a metric, not to the rows of model '{name}'.");
        }

        var plain = model.Filters.Where(f => !f.Range).Select(f => f.Name).ToList();
        return new ModelSource(name, Filters(file, entries, plain, $"model '{name}' (its filters that are not ranges)", what));
    }

    /// <summary>A name among <paramref name="known"/>, or an error listing them.</summary>
    public static string Named(ConfigFile file, YamlNode node, IEnumerable<string> known, string kind, string what)
    {
        var name = file.ReadString(node, $"{what}: {kind}");
        var names = known.ToList();
        return names.Contains(name)
            ? name
            : throw file.Error(node, names.Count == 0
                ? $"{what}: there is no {kind} '{name}': metrics.yml declares no {kind}s."
                : $"{what}: there is no {kind} '{name}'; the {kind}s of metrics.yml are {string.Join(", ", names)}.");
    }

    /// <summary>Fixed filters: <c>filters: {dimension: value}</c> or <c>{dimension: [a, b]}</c>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Filters(ConfigFile file, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, IReadOnlyList<string> dimensions, string owner, string what)
    {
        if (!entries.TryGetValue("filters", out var entry))
        {
            return new Dictionary<string, IReadOnlyList<string>>();
        }

        if (entry.Value is not YamlMappingNode mapping)
        {
            throw file.Error(entry.Value, $"{what}: filters must be a mapping of dimension to value(s), such as `{{category: [invoice, receipt]}}`.");
        }

        var filters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            var dimension = file.ReadString(key, $"{what}: filters");
            Dimension(file, key, dimension, dimensions, owner, what);
            filters[dimension] = ConfigValues.Names(file, value, $"{what}: filters.{dimension}");
        }

        return filters;
    }

    private static void Dimension(ConfigFile file, YamlNode node, string dimension, IReadOnlyList<string> dimensions, string owner, string what)
    {
        if (!dimensions.Contains(dimension))
        {
            throw file.Error(node, $"{what}: '{dimension}' is not a dimension of {owner}; its dimensions are {Names(dimensions)}.");
        }
    }

    private static IEnumerable<(string Name, YamlNode Node)> Listed(ConfigFile file, YamlNode node, string what) => node switch
    {
        YamlScalarNode => [(file.ReadString(node, what), node)],
        YamlSequenceNode list => list.Children.Select(item => (file.ReadString(item, what), item)),
        _ => throw file.Error(node, $"{what} must be a name or a list of names."),
    };

    private static string Choice(ConfigFile file, YamlNode node, IReadOnlyList<string> choices, string what)
    {
        var text = file.ReadString(node, what);
        return choices.Contains(text) ? text : throw file.Error(node, $"{what} must be one of {string.Join(", ", choices)}, not '{text}'.");
    }

    private static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "none (declare dimensions in metrics.yml)" : string.Join(", ", names);
}
