using Sluice.Core.Metrics;
using Sluice.Core.Project;
using Sluice.Dashboards;
using Sluice.Server.Api;
using Sluice.Server.Catalog;

namespace Sluice.Server.Dashboards;

/// <summary>
/// The project's dashboards as the API gives them, made once when the server starts: each panel's
/// query spelt out, and the columns tables name checked against the warehouse.
/// </summary>
public sealed class ServedDashboards
{
    private readonly Dictionary<string, DashboardResponse> _byName;

    private ServedDashboards(IReadOnlyList<DashboardResponse> dashboards)
    {
        All = dashboards;
        _byName = dashboards.ToDictionary(d => d.Name, StringComparer.Ordinal);
    }

    /// <summary>Every dashboard, by name.</summary>
    public IReadOnlyList<DashboardResponse> All { get; }

    /// <summary>The dashboard named <paramref name="name"/>, or null.</summary>
    public DashboardResponse? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Binds the dashboards read from the project to the served catalog.</summary>
    /// <exception cref="ConfigurationException">A table names a column its model does not have; the message names the file and line.</exception>
    public static ServedDashboards Bind(IReadOnlyList<Dashboard> dashboards, MetricsCatalog definitions, ServedCatalog catalog) =>
        new([.. dashboards.Select(d => Describe(d, definitions, catalog))]);

    private static DashboardResponse Describe(Dashboard dashboard, MetricsCatalog definitions, ServedCatalog catalog)
    {
        var path = Path.Combine(catalog.Project.Project.Directory, dashboard.File);
        var panels = dashboard.Panels.Select(panel =>
        {
            CheckColumns(panel, catalog, path);
            var applicable = dashboard.Filters.Where(f => PanelFilters.Applies(panel, f.Dimension, definitions)).Select(f => f.Dimension).ToList();
            var o = panel.Options;
            return new PanelEntry(
                panel.Id, panel.Title, panel.Description, panel.Type.Name(),
                panel.Place.X, panel.Place.Y, panel.Place.W, panel.Place.H,
                PanelQueries.For(panel.Source, catalog),
                applicable,
                panel.RangeDays,
                new PanelOptionsEntry(o.Stack, o.Donut, o.Compare, o.Sparkline, o.Unit, o.Decimals, o.PageSize, o.OrderBy, o.Columns),
                [.. panel.Thresholds.Select(t => new ThresholdEntry(t.Value, t.Label, t.Color))],
                panel.Text);
        }).ToList();
        var filters = dashboard.Filters.Select(f => new FilterEntry(
            f.Dimension,
            f.Label,
            f.ValuesFrom is null ? null : $"{IndexApi.Root}/metrics/{Uri.EscapeDataString(f.ValuesFrom)}/dimensions/{Uri.EscapeDataString(f.Dimension)}/values")).ToList();
        return new DashboardResponse(dashboard.Name, dashboard.Title, dashboard.Description, dashboard.File, dashboard.RangeDays,
            dashboard.Refresh is { } refresh ? (int)refresh.TotalSeconds : null, filters, panels);
    }

    // A table's columns and sort must exist in what it shows: a model's columns, or a metric's
    // period, groups and value.
    private static void CheckColumns(Panel panel, ServedCatalog catalog, string path)
    {
        if (panel.Type != PanelType.Table)
        {
            return;
        }

        IReadOnlyList<string> available = panel.Source switch
        {
            ModelSource r => [.. catalog.Rows[r.Model].Relation.Columns.Select(c => c.Name)],
            MetricSource m => ["period", .. m.GroupBy, "value", "count"],
            _ => [],
        };
        var named = (panel.Options.Columns ?? []).Select(c => (Column: c, Key: "columns")).ToList();
        if (panel.Options.OrderBy is { } order)
        {
            named.Add((order.TrimStart('-'), "order_by"));
        }

        foreach (var (column, key) in named.Where(n => !available.Contains(n.Column, StringComparer.Ordinal)))
        {
            throw new ConfigurationException($"{path}:{panel.Line}:1: panel '{panel.Id}': {key} names '{column}', which the table does not have; its columns are {string.Join(", ", available)}.");
        }
    }
}
