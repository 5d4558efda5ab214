using Sluice.Core.Checks;
using Sluice.Core.Warehouse;

namespace Sluice.Checks;

/// <summary>
/// A check of each row: a row fails when <c>not (condition)</c> is true — so a condition that is
/// null on a row (a null value for accepted_values, as in dbt) passes it. Conditions that must pass
/// a null say so outright (<c>x is null or x in (…)</c>): ClickHouse's <c>null in (…)</c> is false, not null.
/// </summary>
/// <param name="check">The check.</param>
/// <param name="scope">The rows it looks at.</param>
/// <param name="dialect">The engine's dialect.</param>
/// <param name="condition">What a passing row satisfies.</param>
/// <param name="count">
/// An aggregate over the scope that counts the failing rows more cheaply than evaluating the
/// condition on each (<c>count(*) - count(c)</c> for not_null, which engines answer from a
/// column's statistics); by default the rows where the condition is false are counted.
/// </param>
internal sealed class RowPlan(CheckDefinition check, CheckScope scope, ISqlDialect dialect, string condition, string? count = null) : CheckPlan(check, scope)
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Aggregates => [count ?? dialect.CountWhere($"not ({condition})")];

    /// <inheritdoc />
    public override string? FailingRowsSql => $"select * {Scope!.FromWhere(dialect, $"not ({condition})")}";

    /// <inheritdoc />
    public override Task<Measurement> MeasureAsync(IWarehouseSession session, IReadOnlyList<object?> values, long? inScope, CancellationToken cancellationToken) =>
        Task.FromResult(new Measurement(Count(values[0]), inScope));
}
