namespace Sluice.Operate.Alerts;

/// <summary>
/// What alerts.yml may name, from the rest of the project, so that a rule naming something that
/// does not exist is an error at its line when Sluice starts, not a silent alert that never fires.
/// </summary>
/// <param name="Metrics">The metrics of metrics.yml.</param>
/// <param name="Models">The project's models, seeds and snapshots: the jobs of <c>_sluice.job_runs</c>.</param>
/// <param name="Schedules">The schedules of sluice.yml.</param>
/// <param name="Tables">The synced tables, as <c>source.table</c>.</param>
/// <param name="Channels">The notification channels of sluice.yml.</param>
public sealed record AlertReferences(
    IReadOnlySet<string> Metrics,
    IReadOnlySet<string> Models,
    IReadOnlySet<string> Schedules,
    IReadOnlySet<string> Tables,
    IReadOnlySet<string> Channels)
{
    /// <summary>Sources whose tables are not listed (a CSV source of many files): any table of theirs may be named.</summary>
    public IReadOnlySet<string> OpenSources { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="table"/> (source.table) is synced.</summary>
    public bool IsSynced(string table) =>
        Tables.Contains(table) || (table.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot && OpenSources.Contains(table[..dot]));
}
