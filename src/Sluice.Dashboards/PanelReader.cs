using System.Globalization;
using System.Text;
using Sluice.Core.Metrics;
using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Dashboards;

/// <summary>Reads one panel of a dashboard and checks what it reads against metrics.yml.</summary>
internal static class PanelReader
{
    /// <summary>The most dimensions a trend groups by (the API's limit).</summary>
    public const int MaxGroupBy = 3;

    private static readonly string[] PlaceKeys = ["x", "y", "w", "h"];
    private static readonly string[] CommonKeys = ["id", "title", "description", "type", "range", .. PlaceKeys];
    private static readonly string[] SourceKeys = ["metric", "funnel", "benchmark", "model", "text"];

    // The keys each type takes beyond the common ones and its source.
    private static readonly Dictionary<PanelType, string[]> TypeKeys = new()
    {
        [PanelType.Line] = ["granularity", "group_by", "filters", "thresholds", "unit", "decimals"],
        [PanelType.Area] = ["granularity", "group_by", "filters", "thresholds", "unit", "decimals", "stack"],
        [PanelType.Bar] = ["granularity", "group_by", "filters", "thresholds", "unit", "decimals", "stack"],
        [PanelType.Pie] = ["group_by", "filters", "unit", "decimals", "donut"],
        [PanelType.Number] = ["filters", "unit", "decimals", "compare", "sparkline"],
        [PanelType.Table] = ["granularity", "group_by", "filters", "unit", "decimals", "page_size", "order_by", "columns"],
        [PanelType.Funnel] = ["filters"],
        [PanelType.Heatmap] = ["granularity", "group_by", "filters", "unit", "decimals"],
        [PanelType.Benchmark] = ["entity", "by", "unit", "decimals"],
        [PanelType.Markdown] = [],
    };

    // What each type may read.
    private static readonly Dictionary<PanelType, string[]> TypeSources = new()
    {
        [PanelType.Line] = ["metric"],
        [PanelType.Area] = ["metric"],
        [PanelType.Bar] = ["metric"],
        [PanelType.Pie] = ["metric"],
        [PanelType.Number] = ["metric"],
        [PanelType.Table] = ["model", "metric"],
        [PanelType.Funnel] = ["funnel"],
        [PanelType.Heatmap] = ["metric"],
        [PanelType.Benchmark] = ["benchmark"],
        [PanelType.Markdown] = ["text"],
    };

    public static Panel Read(ConfigFile file, YamlNode node, MetricsCatalog catalog)
    {
        var all = TypeKeys.Values.SelectMany(k => k).Distinct().ToArray();
        var entries = file.ReadMapping(node, "a panel", [.. CommonKeys, .. SourceKeys, .. all]);
        if (!entries.TryGetValue("type", out var typeEntry))
        {
            throw file.Error(node, $"a panel needs a type, one of {TypeNames}.");
        }

        var typeText = file.ReadString(typeEntry.Value, "type");
        var type = Enum.GetValues<PanelType>().Cast<PanelType?>().FirstOrDefault(t => t!.Value.Name() == typeText)
            ?? throw file.Error(typeEntry.Value, $"unknown panel type '{typeText}'; the types are {TypeNames}.");
        var title = entries.TryGetValue("title", out var titleEntry) ? file.ReadString(titleEntry.Value, "title")
            : type == PanelType.Markdown ? string.Empty
            : throw file.Error(node, "a panel needs a title: the heading shown above it.");
        var id = entries.TryGetValue("id", out var idEntry) ? Id(file, idEntry.Value) : Slug(title, type);
        var what = $"panel '{id}'";
        file.RejectKeys(entries, $"a {typeText} panel", [.. CommonKeys, .. TypeSources[type], .. TypeKeys[type]]);
        var sources = entries.Keys.Where(SourceKeys.Contains).ToList();
        if (sources.Count != 1)
        {
            throw file.Error(sources.Count == 0 ? node : entries[sources[1]].Key, $"{what}: a {typeText} panel reads exactly one of {string.Join(" or ", TypeSources[type])}.");
        }

        var place = ReadPlace(file, node, entries, what);
        var options = PanelOptionsReader.Read(file, entries, what);
        var source = ReadSource(file, sources[0], entries, type, catalog, what);
        var thresholds = entries.TryGetValue("thresholds", out var t) ? ThresholdReader.Read(file, t.Value, what) : [];
        var text = sources[0] == "text" ? file.ReadString(entries["text"].Value, $"{what}: text") : null;
        return new Panel(id, title, entries.TryGetValue("description", out var d) ? file.ReadString(d.Value, $"{what}: description") : null,
            type, place, source, options, thresholds, text,
            entries.TryGetValue("range", out var range) ? DashboardReader.RangeDays(file, range.Value) : null, (int)node.Start.Line);
    }

    private static string TypeNames => string.Join(", ", Enum.GetValues<PanelType>().Select(PanelTypes.Name));

    private static GridPlace ReadPlace(ConfigFile file, YamlNode node, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, string what)
    {
        var missing = PlaceKeys.Where(k => !entries.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw file.Error(node, $"{what} needs its place on the 12-column grid: x (0-11), y (row, from 0), w (columns wide) and h (rows high); {string.Join(", ", missing)} missing.");
        }

        var x = file.ReadInt(entries["x"].Value, $"{what}: x", 0, GridPlace.Columns - 1);
        var w = file.ReadInt(entries["w"].Value, $"{what}: w", 1, GridPlace.Columns);
        if (x + w > GridPlace.Columns)
        {
            throw file.Error(entries["w"].Value, $"{what} ends past the grid's 12 columns (x {x} + w {w} = {x + w}); make it narrower or move it left.");
        }

        return new GridPlace(x, file.ReadInt(entries["y"].Value, $"{what}: y", 0, 1000), w, file.ReadInt(entries["h"].Value, $"{what}: h", 1, 24));
    }

    private static PanelSource? ReadSource(ConfigFile file, string key, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, PanelType type, MetricsCatalog catalog, string what)
    {
        var node = entries[key].Value;
        switch (key)
        {
            case "metric":
                return SourceReader.Metric(file, node, entries, type, catalog, what);
            case "funnel":
                var funnel = SourceReader.Named(file, node, catalog.Funnels.Select(f => f.Name), "funnel", what);
                var definition = catalog.Funnels.First(f => f.Name == funnel);
                return new FunnelSource(funnel, SourceReader.Filters(file, entries, definition.Dimensions, $"funnel '{funnel}'", what));
            case "benchmark":
                return SourceReader.Benchmark(file, node, entries, catalog, what);
            case "model":
                return SourceReader.Model(file, node, entries, catalog, what);
            default:
                return null;
        }
    }

    private static string Id(ConfigFile file, YamlNode node)
    {
        var id = file.ReadString(node, "id");
        return id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_')
            ? id
            : throw file.Error(node, $"the panel id '{id}' may hold only lower-case letters, digits, '-' and '_'.");
    }

    // An id from the title: "Backfill p95 (s)" -> "backfill-p95-s".
    private static string Slug(string title, PanelType type)
    {
        var slug = new StringBuilder();
        foreach (var c in title.ToLower(CultureInfo.InvariantCulture))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString().Trim('-');
        return text.Length > 0 ? text : type.Name();
    }
}
