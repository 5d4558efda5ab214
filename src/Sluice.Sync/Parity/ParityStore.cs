using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Sync.Parity;

/// <summary>
/// Keeps parity results in <c>_sluice.parity_checks</c>: every check's total and the days that
/// differed stay as history; days that matched are kept for the latest check only, so the table
/// grows with problems rather than with days times checks.
/// </summary>
public static class ParityStore
{
    private static readonly TableName Checks = new(MetadataSchema.Name, "parity_checks");

    private static readonly string[] Columns =
        ["checked_at", "source", "table_name", "day", "source_count", "warehouse_count", "mismatches", "mismatch_ratio", "source_checksum", "warehouse_checksum"];

    /// <summary>Writes a report (in its own transaction).</summary>
    public static async Task WriteAsync(IWarehouseSession session, ParityReport report, CancellationToken cancellationToken)
    {
        var q = session.Warehouse.Dialect;
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        await session.ExecuteAsync(
            $"delete from {q.Quote(Checks)} where source = $1 and table_name = $2 and day is not null and mismatches = 0",
            [report.Source, report.Table],
            cancellationToken);
        await session.BulkLoadAsync(Checks, Columns, Rows(report), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async IAsyncEnumerable<object?[]> Rows(ParityReport report)
    {
        foreach (var day in report.Days.Prepend(report.Total))
        {
            yield return
            [
                report.CheckedAt, report.Source, report.Table, day.Day, day.SourceCount, day.WarehouseCount,
                day.Mismatches, day.MismatchRatio, day.SourceChecksum, day.WarehouseChecksum,
            ];
        }

        await Task.CompletedTask;
    }
}
