using System.Globalization;
using Sluice.Core.Checks;
using Sluice.Core.Warehouse;

namespace Sluice.Checks;

/// <summary>What one check measured.</summary>
/// <param name="Failing">Failing rows (1 for a table check that fails).</param>
/// <param name="InScope">Rows in scope, or null when unknown (singular checks).</param>
/// <param name="Failed">Whether it failed, before severity (null: decide from the counts and mostly).</param>
/// <param name="Message">What it found, when it failed.</param>
/// <param name="Measured">What a table check measured, as name–value pairs for the sample.</param>
/// <param name="WarnOnly">A freshness check past warn_after only: a warning whatever the severity.</param>
internal sealed record Measurement(long Failing, long? InScope, bool? Failed = null, string? Message = null, IReadOnlyList<(string Name, object? Value)>? Measured = null, bool WarnOnly = false);

/// <summary>
/// One check compiled to SQL against the relation it reads. Checks of the same relation and
/// scope share one scan: each adds aggregates to it (a count of the rows failing its condition,
/// a max, a count), and checks that need their own query (duplicates, parity, singular SQL) run it.
/// </summary>
/// <param name="check">The check.</param>
/// <param name="scope">The relation and filter it reads, or null when it reads no single relation.</param>
internal abstract class CheckPlan(CheckDefinition check, CheckScope? scope)
{
    /// <summary>The check.</summary>
    public CheckDefinition Check { get; } = check;

    /// <summary>The relation and rows it looks at; checks with the same scope share a scan.</summary>
    public CheckScope? Scope { get; } = scope;

    /// <summary>The partitions the check covered, for results; null for the whole relation.</summary>
    public virtual string? ScopeDescription => Scope?.Description;

    /// <summary>Aggregates over the scope's rows that <see cref="MeasureAsync"/> reads back, in order.</summary>
    public virtual IReadOnlyList<string> Aggregates => [];

    /// <summary>SQL returning the failing rows, for samples and stored failures; null for table checks.</summary>
    public virtual string? FailingRowsSql => null;

    /// <summary>Columns a sample shows (key and checked columns); empty for every column.</summary>
    public IReadOnlyList<string> SampleColumns { get; init; } = [];

    /// <summary>Measures the check from its aggregates (<paramref name="values"/>) and <paramref name="inScope"/>, or with its own query.</summary>
    public abstract Task<Measurement> MeasureAsync(IWarehouseSession session, IReadOnlyList<object?> values, long? inScope, CancellationToken cancellationToken);

    /// <summary>A count read back from an aggregate.</summary>
    protected static long Count(object? value) => value switch
    {
        null or DBNull => 0,
        // DuckDB sums bigints into 128-bit integers.
        Int128 big => (long)big,
        System.Numerics.BigInteger big => (long)big,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };
}

/// <summary>The rows a check looks at: a relation, filtered by <c>where</c> and the run's partitions.</summary>
/// <param name="Table">The relation.</param>
/// <param name="Filter">A SQL condition on its rows, or null for all of them.</param>
/// <param name="Description">The partitions covered, for results; null for the whole relation.</param>
internal sealed record CheckScope(TableName Table, string? Filter, string? Description)
{
    /// <summary><c>from … where …</c> over the scope.</summary>
    public string From(ISqlDialect dialect) => $"from {dialect.Quote(Table)}{(Filter is null ? string.Empty : $" where {Filter}")}";

    /// <summary><c>from … where … and (condition)</c>: the scope narrowed further.</summary>
    public string FromWhere(ISqlDialect dialect, string condition) =>
        $"from {dialect.Quote(Table)} where {(Filter is null ? string.Empty : $"{Filter} and ")}{condition}";
}
