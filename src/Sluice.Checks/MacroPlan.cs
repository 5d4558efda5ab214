using System.Globalization;
using Sluice.Core.Checks;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;

namespace Sluice.Checks;

/// <summary>
/// A generic test written as a macro: its rendered SQL selects the failing rows, and one query
/// computes dbt's <c>fail_calc</c> over them (by default <c>count(*)</c>) with the
/// <c>warn_if</c> and <c>error_if</c> comparisons. With severity error, error_if fails the
/// check and else warn_if warns; with severity warn, only warn_if is asked.
/// </summary>
/// <param name="check">The check.</param>
/// <param name="test">Its macro and thresholds.</param>
/// <param name="sql">The rendered SQL.</param>
/// <param name="describe">How messages name the check and its macro.</param>
internal sealed class MacroPlan(CheckDefinition check, MacroCheck test, string sql, string describe) : CheckPlan(check, null)
{
    /// <summary>The rendered SQL.</summary>
    public string Sql { get; } = sql;

    /// <summary>The partitions the macro's model was narrowed to, or null.</summary>
    public string? Partitions { get; init; }

    /// <inheritdoc />
    public override string? ScopeDescription => Partitions;

    /// <inheritdoc />
    public override string? FailingRowsSql => $"select * from (\n{Limited}\n) as failures";

    private string Limited => test.Limit is { } limit ? $"{Sql}\nlimit {limit.ToString(CultureInfo.InvariantCulture)}" : Sql;

    /// <inheritdoc />
    public override async Task<Measurement> MeasureAsync(IWarehouseSession session, IReadOnlyList<object?> values, long? inScope, CancellationToken cancellationToken)
    {
        var calc = test.FailCalc;
        var query = $"select {calc} as failures, ({calc}) {test.WarnIf} as should_warn, ({calc}) {test.ErrorIf} as should_error from (\n{Limited}\n) as dbt_internal_test";
        object?[] row;
        try
        {
            await using var reader = await session.QueryAsync(query, null, cancellationToken);
            await reader.ReadAsync(cancellationToken);
            row = new object?[3];
            reader.GetValues(row!);
        }
        catch (WarehouseException e)
        {
            throw new CheckException($"{describe} could not run: {e.Message.Split('\n')[0]}", e);
        }

        var failures = Count(row[0]);
        var (warn, error) = (IsTrue(row[1]), IsTrue(row[2]));
        var defaults = test.WarnIf == TestThresholds.AnyFailure && test.ErrorIf == TestThresholds.AnyFailure && test.FailCalc == "count(*)";
        var counted = test.FailCalc == "count(*)" ? $"{failures:N0} failing row(s)" : $"{test.FailCalc} = {failures:N0}";
        if (Check.Severity == CheckSeverity.Error && error)
        {
            return new Measurement(failures, null, true, defaults ? counted : $"{counted}, error_if {test.ErrorIf}");
        }

        if (warn)
        {
            return new Measurement(failures, null, true, defaults ? counted : $"{counted}, warn_if {test.WarnIf}", WarnOnly: true);
        }

        return new Measurement(failures, null, false, failures == 0 ? null : $"{counted}, within warn_if {test.WarnIf}{(Check.Severity == CheckSeverity.Error ? $" and error_if {test.ErrorIf}" : string.Empty)}");
    }

    // A comparison reads back as a boolean, or as 0 or 1 on ClickHouse, which has no boolean type.
    private static bool IsTrue(object? value) => value switch
    {
        bool flag => flag,
        null or DBNull => false,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
    };
}
