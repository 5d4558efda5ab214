namespace Sluice.Operate.Retention;

/// <summary>What pruning did to one history table, or would do in a dry run.</summary>
/// <param name="Table">The table's name in <c>_sluice</c>.</param>
/// <param name="Limit">How long its history is kept; null for forever.</param>
/// <param name="Cutoff">Rows older than this went; null when the table is kept forever.</param>
/// <param name="Rows">The rows deleted (or, in a dry run, that would be).</param>
public sealed record PrunedTable(string Table, TimeSpan? Limit, DateTimeOffset? Cutoff, long Rows);
