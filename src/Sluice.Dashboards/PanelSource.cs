namespace Sluice.Dashboards;

/// <summary>What a panel reads: one of metrics.yml's metrics, funnels, benchmarks or exposed models.</summary>
public abstract record PanelSource;

/// <summary>A metric's trend.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Granularity">day, week, month or total.</param>
/// <param name="GroupBy">Dimensions its values are split by.</param>
/// <param name="Filters">Dimension values the panel always keeps: dimension to values.</param>
public sealed record MetricSource(string Metric, string Granularity, IReadOnlyList<string> GroupBy, IReadOnlyDictionary<string, IReadOnlyList<string>> Filters) : PanelSource;

/// <summary>A funnel's steps.</summary>
/// <param name="Funnel">The funnel.</param>
/// <param name="Filters">Dimension values the panel always keeps.</param>
public sealed record FunnelSource(string Funnel, IReadOnlyDictionary<string, IReadOnlyList<string>> Filters) : PanelSource;

/// <summary>A benchmark for one entity.</summary>
/// <param name="Benchmark">The benchmark.</param>
/// <param name="Entity">The entity compared with its peers.</param>
/// <param name="By">The peer group, or null for the benchmark's first.</param>
public sealed record BenchmarkSource(string Benchmark, string Entity, string? By) : PanelSource;

/// <summary>An exposed model's rows.</summary>
/// <param name="Model">The exposed model's name.</param>
/// <param name="Filters">Filter values the panel always sends: filter to values.</param>
public sealed record ModelSource(string Model, IReadOnlyDictionary<string, IReadOnlyList<string>> Filters) : PanelSource;

/// <summary>How a panel reads and shows its data; each applies to some panel types only.</summary>
/// <param name="Stack">Bar and area: stack the groups.</param>
/// <param name="Donut">Pie: a ring.</param>
/// <param name="Compare">Number: show the change against the previous period of equal length.</param>
/// <param name="Sparkline">Number: a daily line under the figure.</param>
/// <param name="Unit">Written after figures, or null.</param>
/// <param name="Decimals">Digits after the point, or null for the page's choice.</param>
/// <param name="PageSize">Table: rows per page.</param>
/// <param name="OrderBy">Table from a model: the initial sort, <c>-column</c> for descending.</param>
/// <param name="Columns">Table: the columns shown, in order, or empty for all.</param>
public sealed record PanelOptions(
    bool Stack = false,
    bool Donut = false,
    bool Compare = false,
    bool Sparkline = false,
    string? Unit = null,
    int? Decimals = null,
    int? PageSize = null,
    string? OrderBy = null,
    IReadOnlyList<string>? Columns = null);
