using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Retention;

/// <summary>
/// A table of <c>_sluice</c> whose rows are history: which of them are older than a cutoff and
/// may go. The condition leaves out, whatever their age, the rows that Sluice still reads as state
/// (the latest success of each partition, the latest result of each check, running jobs …).
/// </summary>
/// <param name="Name">The table's name in <c>_sluice</c>, and its key under <c>retention:</c>.</param>
/// <param name="TimeColumn">The column whose time the limit is measured against.</param>
/// <param name="condition">
/// The SQL condition (for a <c>where</c> of a delete from the table) of the rows that may go,
/// given the quoted table name, the dialect and the cutoff, with its parameters ($1, $2 …).
/// </param>
/// <param name="Key">
/// The columns that pick out the rows the condition selects, when the condition reads the table
/// itself: an engine whose delete cannot read its table (ClickHouse's mutations) gathers the keys
/// by a query first and deletes by them. Null when the condition reads no table.
/// </param>
public sealed class HistoryTable(string Name, string TimeColumn, Func<string, ISqlDialect, DateTimeOffset, (string Sql, object?[] Parameters)> condition, IReadOnlyList<string>? Key = null)
{
    /// <summary>The columns that pick out the rows the condition selects, when it reads the table itself.</summary>
    public IReadOnlyList<string>? Key { get; } = Key;

    /// <summary>The table's name in <c>_sluice</c>, and its key under <c>retention:</c>.</summary>
    public string Name { get; } = Name;

    /// <summary>The column whose time the limit is measured against.</summary>
    public string TimeColumn { get; } = TimeColumn;

    /// <summary>The table, schema-qualified.</summary>
    public TableName Table => new(MetadataSchema.Name, Name);

    /// <summary>The condition of the rows older than <paramref name="cutoff"/> that may be deleted, with its parameters.</summary>
    public (string Sql, object?[] Parameters) Prunable(ISqlDialect dialect, DateTimeOffset cutoff) => condition(dialect.Quote(Table), dialect, cutoff);
}
