namespace Sluice.Core.Sync;

/// <summary>One table of a PostgreSQL source and how it is synced.</summary>
/// <param name="Name">The table's name in the source schema.</param>
/// <param name="Location">Where the entry is written, for messages about it.</param>
/// <param name="PrimaryKey">Key columns rows are merged by; empty to use the source table's primary key.</param>
/// <param name="Cursor">The column that grows when a row changes (incremental sync); null to copy the whole table each time.</param>
/// <param name="Lookback">How far behind the watermark each incremental sync re-reads, for rows committed late.</param>
/// <param name="Include">Only these columns, when not empty.</param>
/// <param name="Exclude">Never these columns.</param>
/// <param name="ParityDateColumn">The column whose day groups the per-day parity counts; null for totals only.</param>
/// <param name="SoftDeleteColumn">A source column that marks a row deleted when not null.</param>
/// <param name="BatchSize">Rows per committed batch of an incremental load.</param>
/// <param name="ReconcileEvery">Reconcile deletes on every N-th sync; null for only on request.</param>
public sealed record SyncTableDefinition(
    string Name,
    string Location,
    IReadOnlyList<string> PrimaryKey,
    string? Cursor,
    Lookback Lookback,
    IReadOnlyList<string> Include,
    IReadOnlyList<string> Exclude,
    string? ParityDateColumn,
    string? SoftDeleteColumn,
    int BatchSize,
    int? ReconcileEvery)
{
    /// <summary>
    /// Rows per batch when sluice.yml does not say: two of DuckDB's 122,880-row groups, so that a
    /// batch committed into DuckDB leaves no half-filled row group behind for its next checkpoint
    /// to read back and rewrite.
    /// </summary>
    public const int DefaultBatchSize = 245_760;

    /// <summary>Whether each sync ends with a parity check (<c>parity: false</c> turns it off).</summary>
    public bool Parity { get; init; } = true;

    /// <summary>True when the table is read by cursor rather than copied whole.</summary>
    public bool IsIncremental => Cursor is not null;

    /// <summary>Whether <paramref name="column"/> is copied, by the include and exclude lists.</summary>
    public bool Copies(string column) =>
        (Include.Count == 0 || Include.Contains(column, StringComparer.Ordinal)) && !Exclude.Contains(column, StringComparer.Ordinal);
}
