using Sluice.Core.Checks;
using Sluice.Core.Warehouse;

namespace Sluice.Checks;

/// <summary>
/// A check of each row: a row fails when <c>not (condition)</c> is true — so a condition that is
/// null on a row (a null value for accepted_values, as in dbt) passes it.
/// </summary>
internal sealed class RowPlan(CheckDefinition check, CheckScope scope, ISqlDialect dialect, string condition) : CheckPlan(check, scope)
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Aggregates => [$"count(case when not ({condition}) then 1 end)"];

    /// <inheritdoc />
    public override string? FailingRowsSql => $"select * {Scope!.FromWhere(dialect, $"not ({condition})")}";

    /// <inheritdoc />
    public override Task<Measurement> MeasureAsync(IWarehouseSession session, IReadOnlyList<object?> values, long? inScope, CancellationToken cancellationToken) =>
        Task.FromResult(new Measurement(Count(values[0]), inScope));
}

/// <summary>
/// Duplicates of one column (<c>unique</c>, nulls left out as in dbt) or of a combination of
/// columns: every row that shares its value with another fails, so <c>mostly</c> counts rows.
/// </summary>
internal sealed class DuplicatePlan(CheckDefinition check, CheckScope scope, ISqlDialect dialect, IReadOnlyList<string> columns, bool skipNulls) : CheckPlan(check, scope)
{
    /// <summary>The column of the sample that says how often a value occurs.</summary>
    public const string OccurrencesColumn = "_occurrences";

    private string List => string.Join(", ", columns.Select(dialect.Quote));

    private string Rows => skipNulls ? Scope!.FromWhere(dialect, string.Join(" and ", columns.Select(c => $"{dialect.Quote(c)} is not null"))) : Scope!.From(dialect);

    /// <inheritdoc />
    public override string? FailingRowsSql =>
        $"select * from (select *, count(*) over (partition by {List}) as {OccurrencesColumn} {Rows}) as counted where {OccurrencesColumn} > 1";

    /// <inheritdoc />
    public override async Task<Measurement> MeasureAsync(IWarehouseSession session, IReadOnlyList<object?> values, long? inScope, CancellationToken cancellationToken)
    {
        var failing = await session.ScalarAsync(
            $"select sum(n) from (select count(*) as n {Rows} group by {List} having count(*) > 1) as duplicates", null, cancellationToken);
        return new Measurement(Count(failing), inScope);
    }
}
