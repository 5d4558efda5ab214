namespace Sluice.Dashboards;

/// <summary>One dashboard of <c>dashboards/*.yml</c>: panels over metrics, funnels, benchmarks and exposed models.</summary>
/// <param name="Name">The file's name without <c>.yml</c>: the name in <c>/dashboards/{name}</c>.</param>
/// <param name="Title">Its heading.</param>
/// <param name="Description">What it is for, or null.</param>
/// <param name="File">Its file, relative to the project: <c>dashboards/operations.yml</c>.</param>
/// <param name="RangeDays">The days it shows when opened: the last <c>RangeDays</c> days up to today.</param>
/// <param name="Refresh">How often the page reloads its panels, or null for never.</param>
/// <param name="Filters">The dimension pickers above the panels.</param>
/// <param name="Panels">The panels, in file order.</param>
public sealed record Dashboard(
    string Name,
    string Title,
    string? Description,
    string File,
    int RangeDays,
    TimeSpan? Refresh,
    IReadOnlyList<DashboardFilter> Filters,
    IReadOnlyList<Panel> Panels);

/// <summary>A picker that filters every panel whose data has the dimension.</summary>
/// <param name="Dimension">The dimension (of metrics.yml) or the exposed model's filter it sets.</param>
/// <param name="Label">What the picker is called on the page.</param>
/// <param name="ValuesFrom">The metric whose rows give the picker's values.</param>
public sealed record DashboardFilter(string Dimension, string Label, string? ValuesFrom);
