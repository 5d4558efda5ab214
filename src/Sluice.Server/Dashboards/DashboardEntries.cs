namespace Sluice.Server.Dashboards;

/// <summary>A dashboard in the list of <c>/api/v1/dashboards</c>.</summary>
/// <param name="Name">The name in its path.</param>
/// <param name="Title">Its heading.</param>
/// <param name="Description">What it is for, or null.</param>
/// <param name="Panels">How many panels it has.</param>
/// <param name="File">Its file in the project.</param>
public sealed record DashboardSummary(string Name, string Title, string? Description, int Panels, string File);

/// <summary>The answer of <c>/api/v1/dashboards</c>.</summary>
/// <param name="Dashboards">The project's dashboards, by name.</param>
public sealed record DashboardListResponse(IReadOnlyList<DashboardSummary> Dashboards);

/// <summary>A dashboard's filter picker.</summary>
/// <param name="Name">The dimension (or exposed model filter) it sets.</param>
/// <param name="Label">Its label on the page.</param>
/// <param name="ValuesPath">Where its values come from (GET with from and to), or null when only exposed models take it (a free-text filter).</param>
public sealed record FilterEntry(string Name, string Label, string? ValuesPath);

/// <summary>The days a query's range is sent as.</summary>
/// <param name="From">The parameter taking the first day.</param>
/// <param name="To">The parameter taking the last day.</param>
public sealed record QueryRange(string From, string To);

/// <summary>What a panel asks the API.</summary>
/// <param name="Kind">The answer's shape: trend, funnel, benchmark or rows.</param>
/// <param name="Path">The endpoint.</param>
/// <param name="Parameters">Its fixed parameters, each with its values.</param>
/// <param name="Range">How the dashboard's range is sent, or null when it does not apply.</param>
/// <param name="FilterParameter">How a dashboard filter is sent: <c>{name}</c> stands for the filter's name; null when none applies.</param>
public sealed record PanelQuery(string Kind, string Path, IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters, QueryRange? Range, string? FilterParameter);

/// <summary>A panel's view options; each applies to some panel types only.</summary>
/// <param name="Stack">Bar and area: stack the groups.</param>
/// <param name="Donut">Pie: a ring.</param>
/// <param name="Compare">Number: the change against the previous period of equal length.</param>
/// <param name="Sparkline">Number: a daily line under the figure.</param>
/// <param name="Unit">Written after figures.</param>
/// <param name="Decimals">Digits after the point.</param>
/// <param name="PageSize">Table: rows per page.</param>
/// <param name="OrderBy">Table from a model: the initial sort.</param>
/// <param name="Columns">Table: the columns shown, or null for all.</param>
public sealed record PanelOptionsEntry(bool Stack, bool Donut, bool Compare, bool Sparkline, string? Unit, int? Decimals, int? PageSize, string? OrderBy, IReadOnlyList<string>? Columns);

/// <summary>A line drawn at a value.</summary>
/// <param name="Value">Where.</param>
/// <param name="Label">Its label.</param>
/// <param name="Color">Its colour, #rrggbb.</param>
public sealed record ThresholdEntry(double Value, string? Label, string Color);

/// <summary>A panel: a query plus a view.</summary>
/// <param name="Id">Unique in its dashboard.</param>
/// <param name="Title">Its heading.</param>
/// <param name="Description">What it shows.</param>
/// <param name="Type">line, area, bar, pie, number, table, funnel, heatmap, benchmark or markdown.</param>
/// <param name="X">First column of 12.</param>
/// <param name="Y">First row.</param>
/// <param name="W">Columns wide.</param>
/// <param name="H">Rows high.</param>
/// <param name="Query">What it asks the API, or null for markdown.</param>
/// <param name="Filters">The dashboard filters that apply to it.</param>
/// <param name="RangeDays">The days it always shows, ending at the dashboard range's last day; null for the dashboard's range.</param>
/// <param name="Options">How it shows its data.</param>
/// <param name="Thresholds">Lines drawn at values.</param>
/// <param name="Text">A markdown panel's text.</param>
public sealed record PanelEntry(string Id, string Title, string? Description, string Type, int X, int Y, int W, int H, PanelQuery? Query, IReadOnlyList<string> Filters, int? RangeDays, PanelOptionsEntry Options, IReadOnlyList<ThresholdEntry> Thresholds, string? Text);

/// <summary>The answer of <c>/api/v1/dashboards/{name}</c>: the definition the page renders.</summary>
/// <param name="Name">The name in its path.</param>
/// <param name="Title">Its heading.</param>
/// <param name="Description">What it is for.</param>
/// <param name="File">Its file in the project.</param>
/// <param name="RangeDays">The days shown when opened, up to today.</param>
/// <param name="RefreshSeconds">How often the page reloads its panels, or null.</param>
/// <param name="Filters">The filter pickers.</param>
/// <param name="Panels">The panels.</param>
public sealed record DashboardResponse(string Name, string Title, string? Description, string File, int RangeDays, int? RefreshSeconds, IReadOnlyList<FilterEntry> Filters, IReadOnlyList<PanelEntry> Panels);
