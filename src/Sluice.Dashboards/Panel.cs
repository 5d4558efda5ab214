namespace Sluice.Dashboards;

/// <summary>How a panel shows its data.</summary>
public enum PanelType
{
    /// <summary>Lines over time.</summary>
    Line,

    /// <summary>Filled lines over time.</summary>
    Area,

    /// <summary>Bars over time, stacked or side by side.</summary>
    Bar,

    /// <summary>Shares of a whole: one slice per group.</summary>
    Pie,

    /// <summary>One figure for the range, with the previous period and a sparkline.</summary>
    Number,

    /// <summary>Rows of an exposed model, or a metric's periods.</summary>
    Table,

    /// <summary>Entities through a funnel's steps.</summary>
    Funnel,

    /// <summary>A metric per period and group (cohort), coloured by value.</summary>
    Heatmap,

    /// <summary>An entity's value against its peers' quartiles.</summary>
    Benchmark,

    /// <summary>Text.</summary>
    Markdown,
}

/// <summary>The names YAML and the API give <see cref="PanelType"/>'s values.</summary>
public static class PanelTypes
{
    /// <summary>The name of <paramref name="type"/>: <c>line</c>, <c>heatmap</c>, ….</summary>
    public static string Name(this PanelType type) => type.ToString().ToLowerInvariant();
}

/// <summary>Where a panel sits on the dashboard's 12-column grid.</summary>
/// <param name="X">First column, 0 to 11.</param>
/// <param name="Y">First row, from 0.</param>
/// <param name="W">Columns wide, 1 to 12.</param>
/// <param name="H">Rows high.</param>
public sealed record GridPlace(int X, int Y, int W, int H)
{
    /// <summary>The grid's width in columns.</summary>
    public const int Columns = 12;

    /// <summary>Whether the two places share a cell.</summary>
    public bool Overlaps(GridPlace other) =>
        X < other.X + other.W && other.X < X + W && Y < other.Y + other.H && other.Y < Y + H;
}

/// <summary>A horizontal line at a value, such as an SLO.</summary>
/// <param name="Value">Where it is drawn.</param>
/// <param name="Label">What it is called, or null.</param>
/// <param name="Color">Its colour as <c>#rrggbb</c>.</param>
public sealed record Threshold(double Value, string? Label, string Color);

/// <summary>One panel: a query (its <see cref="Source"/> and parameters) plus a view (its <see cref="Type"/> and options).</summary>
/// <param name="Id">Unique within its dashboard.</param>
/// <param name="Title">Its heading.</param>
/// <param name="Description">What it shows, or null.</param>
/// <param name="Type">How it shows its data.</param>
/// <param name="Place">Where it sits.</param>
/// <param name="Source">What it reads, or null for markdown.</param>
/// <param name="Options">How it reads and shows it.</param>
/// <param name="Thresholds">Lines drawn at values.</param>
/// <param name="Text">A markdown panel's text, or null.</param>
/// <param name="RangeDays">The days it always shows, ending at the dashboard range's last day; null for the dashboard's range.</param>
/// <param name="Line">Its line in the file.</param>
public sealed record Panel(
    string Id,
    string Title,
    string? Description,
    PanelType Type,
    GridPlace Place,
    PanelSource? Source,
    PanelOptions Options,
    IReadOnlyList<Threshold> Thresholds,
    string? Text,
    int? RangeDays,
    int Line);
