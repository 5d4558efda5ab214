using System.Text.RegularExpressions;
using Sluice.Core.Metrics;
using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Dashboards;

/// <summary>
/// Reads the project's <c>dashboards/*.yml</c> and checks each against metrics.yml, with every
/// mistake reported at its line:
/// <code>
/// title: Operations
/// description: Risk, volume and the backfill SLO.
/// range: 30d                  # the days shown when opened (default 30d)
/// refresh: 5m                 # reload the panels this often (default: never)
/// filters: [{dimension: category, label: Category}]
/// panels:
///   - {title: Average risk, type: line, metric: average_risk, x: 0, y: 0, w: 6, h: 4}
///   - {title: Backfill p95, type: line, metric: backfill_p95_seconds, x: 6, y: 0, w: 6, h: 4,
///      thresholds: [{value: 300, label: SLO, color: red}]}
/// </code>
/// </summary>
public static partial class DashboardReader
{
    /// <summary>The folder, under the project's root.</summary>
    public const string Folder = "dashboards";

    /// <summary>The most days a range may span.</summary>
    public const int MaxRangeDays = 3660;

    private static readonly string[] TopKeys = ["title", "description", "range", "refresh", "filters", "panels"];
    private static readonly string[] FilterKeys = ["dimension", "label"];
    private static readonly TimeSpan LeastRefresh = TimeSpan.FromSeconds(10);

    /// <summary>The dashboards of the project in <paramref name="directory"/>, by name; none without a dashboards folder.</summary>
    /// <exception cref="ConfigurationException">A dashboard is not valid; the message names the file, line and fix.</exception>
    public static IReadOnlyList<Dashboard> Read(string directory, MetricsCatalog catalog, Func<string, string?>? environment = null)
    {
        var folder = Path.Combine(directory, Folder);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var files = Directory.EnumerateFiles(folder, "*.yml").Concat(Directory.EnumerateFiles(folder, "*.yaml")).Order(StringComparer.Ordinal).ToList();
        var dashboards = new List<Dashboard>();
        foreach (var path in files)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var file = new ConfigFile(path, environment ?? Environment.GetEnvironmentVariable);
            if (!NamePattern().IsMatch(name))
            {
                throw file.Error(YamlDotNet.Core.Mark.Empty, $"the dashboard name '{name}' (the file's name) may hold only lower-case letters, digits, '-' and '_'; rename the file.");
            }

            if (dashboards.FirstOrDefault(d => d.Name == name) is { } twin)
            {
                throw file.Error(YamlDotNet.Core.Mark.Empty, $"there is a dashboard '{name}' already ({twin.File}); keep one of the two files.");
            }

            if (file.Parse(File.ReadAllText(path)) is { } root)
            {
                dashboards.Add(ReadDashboard(file, root, name, $"{Folder}/{Path.GetFileName(path)}", catalog));
            }
        }

        return dashboards;
    }

    private static Dashboard ReadDashboard(ConfigFile file, YamlNode root, string name, string relative, MetricsCatalog catalog)
    {
        var top = file.ReadMapping(root, Path.GetFileName(file.Path), TopKeys);
        var title = top.TryGetValue("title", out var titleEntry) ? file.ReadString(titleEntry.Value, "title") : name;
        var description = top.TryGetValue("description", out var descriptionEntry) ? file.ReadString(descriptionEntry.Value, "description") : null;
        var range = top.TryGetValue("range", out var rangeEntry) ? RangeDays(file, rangeEntry.Value) : 30;
        TimeSpan? refresh = null;
        if (top.TryGetValue("refresh", out var refreshEntry))
        {
            refresh = ConfigValues.Duration(file, refreshEntry.Value, "refresh");
            if (refresh < LeastRefresh)
            {
                throw file.Error(refreshEntry.Value, $"refresh must be at least {LeastRefresh.TotalSeconds:0}s: every open page reloads all its panels that often.");
            }
        }

        if (!top.TryGetValue("panels", out var panelsEntry) || panelsEntry.Value is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            throw file.Error(top.TryGetValue("panels", out var empty) ? empty.Value : root, "a dashboard needs panels: a list of panels, each with a title, a type and a place such as `{title: Emails, type: line, metric: email_volume, x: 0, y: 0, w: 6, h: 4}`.");
        }

        var panels = new List<Panel>();
        foreach (var item in list.Children)
        {
            var panel = PanelReader.Read(file, item, catalog);
            if (panels.FirstOrDefault(p => p.Id == panel.Id) is { } same)
            {
                throw file.Error(item, $"two panels have the id '{panel.Id}' (also line {same.Line}); give one of them its own `id:`.");
            }

            if (panels.FirstOrDefault(p => p.Place.Overlaps(panel.Place)) is { } under)
            {
                throw file.Error(item, $"panel '{panel.Id}' (x {panel.Place.X}, y {panel.Place.Y}, w {panel.Place.W}, h {panel.Place.H}) overlaps panel '{under.Id}' on line {under.Line} (x {under.Place.X}, y {under.Place.Y}, w {under.Place.W}, h {under.Place.H}); move one of them.");
            }

            panels.Add(panel);
        }

        var filters = top.TryGetValue("filters", out var filtersEntry) ? ReadFilters(file, filtersEntry.Value, panels, catalog) : [];
        return new Dashboard(name, title, description, relative, range, refresh, filters, panels);
    }

    /// <summary>A range of days: <c>30d</c>.</summary>
    internal static int RangeDays(ConfigFile file, YamlNode node)
    {
        var text = file.ReadString(node, "range");
        return RangePattern().Match(text) is { Success: true } match && int.TryParse(match.Groups[1].Value, out var days) && days is >= 1 and <= MaxRangeDays
            ? days
            : throw file.Error(node, $"range must be a number of days from 1d to {MaxRangeDays}d, such as 7d, 30d or 90d, not '{text}'.");
    }

    private static List<DashboardFilter> ReadFilters(ConfigFile file, YamlNode node, IReadOnlyList<Panel> panels, MetricsCatalog catalog)
    {
        if (node is not YamlSequenceNode list)
        {
            throw file.Error(node, "filters must be a list such as `[{dimension: category, label: Category}]`.");
        }

        var filters = new List<DashboardFilter>();
        foreach (var item in list.Children)
        {
            var entries = item is YamlScalarNode ? null : file.ReadMapping(item, "a filter", FilterKeys);
            var dimensionNode = entries is null ? item : entries.TryGetValue("dimension", out var d) ? d.Value : throw file.Error(item, "a filter needs dimension: the dimension it picks values of.");
            var dimension = file.ReadString(dimensionNode, "dimension");
            if (filters.Any(f => f.Dimension == dimension))
            {
                throw file.Error(dimensionNode, $"the filter '{dimension}' is listed twice; keep one.");
            }

            if (!panels.Any(p => PanelFilters.Applies(p, dimension, catalog)))
            {
                throw file.Error(dimensionNode, $"no panel can be filtered by '{dimension}': it is not a dimension of any panel's metric or funnel, nor a filter of any panel's exposed model; the panels can be filtered by {PanelFilters.Describe(panels, catalog)}.");
            }

            var label = entries is not null && entries.TryGetValue("label", out var l) ? file.ReadString(l.Value, "label") : dimension;
            filters.Add(new DashboardFilter(dimension, label, PanelFilters.ValuesFrom(panels, dimension, catalog)));
        }

        return filters;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^([0-9]{1,5})d$")]
    private static partial Regex RangePattern();
}
