using System.Globalization;
using Sluice.Core.Checks;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Checks;

/// <summary>
/// A synced table against its source, read from the sync's latest parity check of the table
/// (<c>sluice sync</c> or <c>sluice parity</c> writes them): each day compared is a row in scope,
/// and a day whose mismatch ratio exceeds <see cref="ParityCheck.MaxMismatchRatio"/> fails. A
/// check without days counts the table's total as its one row.
/// </summary>
internal sealed class ParityPlan(CheckDefinition check, ISqlDialect dialect, string? where, Func<DateTimeOffset> now) : CheckPlan(check, null)
{
    private static readonly TableName Results = new(MetadataSchema.Name, "parity_checks");

    private ParityCheck Parity => (ParityCheck)Check.Kind;

    private string Latest =>
        $"select day, source_count, warehouse_count, mismatches, mismatch_ratio, checked_at from {dialect.Quote(Results)} " +
        $"where source = {dialect.Literal(Check.Target!.Source!)} and table_name = {dialect.Literal(Check.Target.Table!)} " +
        $"and checked_at = (select max(checked_at) from {dialect.Quote(Results)} where source = {dialect.Literal(Check.Target.Source!)} and table_name = {dialect.Literal(Check.Target.Table!)})";

    // The days when the check compared days, else the total; then the check's own where. A count,
    // not EXISTS, which ClickHouse 18.16 lacks.
    private string Rows =>
        $"select * from ({Latest}) as latest where (day is not null or (select count(*) from ({Latest}) as days where day is not null) = 0)" +
        (where is null ? string.Empty : $" and ({where})");

    private string Failing => $"mismatch_ratio > {Parity.MaxMismatchRatio.ToString("R", CultureInfo.InvariantCulture)}";

    /// <inheritdoc />
    public override string? FailingRowsSql => $"select * from ({Rows}) as scope where {Failing} order by day";

    /// <inheritdoc />
    public override async Task<Measurement> MeasureAsync(IWarehouseSession session, IReadOnlyList<object?> values, long? inScope, CancellationToken cancellationToken)
    {
        await using var reader = await session.QueryAsync(
            $"select count(*), count(case when {Failing} then 1 end), max(checked_at) from ({Rows}) as scope", null, cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (rows, failing) = (reader.GetInt64(0), reader.GetInt64(1));
        // ClickHouse's max of no rows is the type's default, not null: no rows is no results.
        if (rows == 0 || reader.IsDBNull(2))
        {
            throw new CheckException(
                $"{Check.Location}: there are no parity results for {Check.Target!.DisplayName}; run `sluice sync` (with parity set on the table) or `sluice parity` first.");
        }

        var checkedAt = reader.GetValue(2) switch
        {
            DateTimeOffset offset => offset,
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            var other => throw new InvalidOperationException($"checked_at read as {other.GetType().Name}"),
        };
        var age = now() - checkedAt;
        if (Parity.MaxAge is { } maxAge && age > maxAge)
        {
            return new Measurement(rows == 0 ? 1 : rows, rows, true, $"the latest parity check of {Check.Target!.DisplayName} is {TablePlan.Format(age)} old, past max_age {TablePlan.Format(maxAge)}");
        }

        return new Measurement(failing, rows, Message: failing == 0 ? null : $"{failing:N0} of {rows:N0} day(s) differ from the source");
    }
}
