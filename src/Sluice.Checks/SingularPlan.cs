using Sluice.Core.Checks;
using Sluice.Core.Warehouse;

namespace Sluice.Checks;

/// <summary>A singular check: its SQL returns the failing rows; any row fails it.</summary>
internal sealed class SingularPlan(CheckDefinition check, string sql) : CheckPlan(check, null)
{
    /// <inheritdoc />
    public override string? FailingRowsSql => $"select * from (\n{sql}\n) as failures";

    /// <inheritdoc />
    public override async Task<Measurement> MeasureAsync(IWarehouseSession session, IReadOnlyList<object?> values, long? inScope, CancellationToken cancellationToken) =>
        new(Count(await session.ScalarAsync($"select count(*) from (\n{sql}\n) as failures", null, cancellationToken)), null);
}
