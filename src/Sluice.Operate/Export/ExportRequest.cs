namespace Sluice.Operate.Export;

/// <summary>What to export where: the options of <c>sluice export</c>, checked.</summary>
/// <param name="Directory">The folder the files go to, absolute; created when missing.</param>
/// <param name="Format">The files' format.</param>
public sealed record ExportRequest(string Directory, ExportFormat Format)
{
    /// <summary>For partitioned models, only the rows whose partition column falls in these days; null for all rows.</summary>
    public DayRange? Range { get; init; }

    /// <summary>The selectors given, as the summary records them.</summary>
    public IReadOnlyList<string> Select { get; init; } = [];

    /// <summary>The exclusions given, as the summary records them.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];
}
