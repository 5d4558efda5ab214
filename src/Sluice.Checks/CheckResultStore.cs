using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Checks;

/// <summary>Keeps check results in <c>_sluice.check_results</c>, one row per check per run.</summary>
public static class CheckResultStore
{
    /// <summary>The results table.</summary>
    public static readonly TableName Table = new(MetadataSchema.Name, "check_results");

    /// <summary>Records <paramref name="result"/> of the run <paramref name="runId"/>.</summary>
    public static Task WriteAsync(IWarehouseSession session, string runId, CheckResult result, DateTimeOffset checkedAt, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"insert into {session.Warehouse.Dialect.Quote(Table)} (id, run_id, check_name, check_type, model, column_name, severity, status, failing_rows, rows_in_scope, failing_ratio, mostly, sample, message, scope, location, duration_ms, checked_at) " +
            "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
            [
                Guid.CreateVersion7().ToString("N"), runId, result.Check.Name, result.Check.Type, result.Check.Target?.DisplayName, result.Check.Column,
                result.Check.Severity.ToString().ToLowerInvariant(), result.StatusName, result.FailingRows, result.RowsInScope, result.FailingRatio,
                result.Check.Mostly, result.Sample, result.Message, result.Scope, result.Check.Location, (long)result.Duration.TotalMilliseconds, checkedAt,
            ],
            cancellationToken);
}
