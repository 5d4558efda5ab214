using System.Globalization;
using Sluice.Core.Checks;
using Sluice.Core.Models;
using Sluice.Core.Warehouse;

namespace Sluice.Checks;

/// <summary>
/// A check of the table as a whole, measured from aggregates of the shared scan:
/// <c>not_empty</c>, <c>row_count</c> (its bounds, or another relation's count) and
/// <c>freshness</c> (the newest value's age against warn_after and error_after).
/// </summary>
internal sealed class TablePlan(CheckDefinition check, CheckScope scope, ISqlDialect dialect, string? column, TableName? other, Func<DateTimeOffset> now) : CheckPlan(check, scope)
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Aggregates => Check.Kind switch
    {
        FreshnessCheck => [$"max({dialect.Quote(column!)})"],
        RowCountCheck { EqualTo: not null } => [$"(select count(*) from {dialect.Quote(other!)})"],
        _ => [],
    };

    /// <inheritdoc />
    public override Task<Measurement> MeasureAsync(IWarehouseSession session, IReadOnlyList<object?> values, long? inScope, CancellationToken cancellationToken)
    {
        var rows = inScope ?? 0;
        return Task.FromResult(Check.Kind switch
        {
            NotEmptyCheck => Verdict(rows == 0, rows, "there are no rows in scope", [("rows", rows)]),
            RowCountCheck { EqualTo: { } target } => EqualCount(rows, Count(values[0]), target),
            RowCountCheck bounds => Bounds(rows, bounds),
            FreshnessCheck freshness => Freshness(values[0], rows, freshness),
            _ => throw new InvalidOperationException($"'{Check.Type}' is not a table check"),
        });
    }

    private static Measurement Verdict(bool failed, long rows, string message, IReadOnlyList<(string, object?)> measured) =>
        new(failed ? 1 : 0, rows, failed, failed ? message : null, measured);

    private static Measurement EqualCount(long rows, long expected, RelationReference target) =>
        Verdict(rows != expected, rows, $"{rows:N0} rows, but {target} has {expected:N0}", [("rows", rows), ("expected", expected)]);

    private static Measurement Bounds(long rows, RowCountCheck bounds)
    {
        var failed = rows < bounds.Min || rows > bounds.Max;
        var limit = rows < bounds.Min ? $"fewer than the minimum {bounds.Min:N0}" : $"more than the maximum {bounds.Max:N0}";
        return Verdict(failed, rows, $"{rows:N0} rows, {limit}", [("rows", rows), ("min", bounds.Min), ("max", bounds.Max)]);
    }

    private Measurement Freshness(object? latest, long rows, FreshnessCheck freshness)
    {
        if (latest is null or DBNull)
        {
            return Verdict(true, rows, $"no value of '{column}' in scope, so the data's age is unknown", [("latest", null)]);
        }

        var newest = latest switch
        {
            DateTimeOffset offset => offset,
            DateTime { Kind: DateTimeKind.Local } local => new DateTimeOffset(local),
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            DateOnly day => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            _ => throw new CheckException($"{Check.Location}: freshness needs a date or timestamp column, and '{column}' holds {latest.GetType().Name} values; choose a timestamp column."),
        };
        var age = now() - newest;
        var measured = new List<(string, object?)>
        {
            ("latest", newest.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            ("age", Format(age)),
            ("warn_after", freshness.WarnAfter is { } w ? Format(w) : null),
            ("error_after", freshness.ErrorAfter is { } e ? Format(e) : null),
        };
        if (age > freshness.ErrorAfter)
        {
            return new Measurement(1, rows, true, $"the newest '{column}' is {Format(age)} old, past error_after {Format(freshness.ErrorAfter.Value)}", measured);
        }

        return age > freshness.WarnAfter
            ? new Measurement(1, rows, true, $"the newest '{column}' is {Format(age)} old, past warn_after {Format(freshness.WarnAfter.Value)}", measured, WarnOnly: true)
            : new Measurement(0, rows, false, null, measured);
    }

    /// <summary>An age as people read it: 3d 4h, 5h 12m, 40m, 12s.</summary>
    public static string Format(TimeSpan age) => age switch
    {
        { TotalDays: >= 1 } => $"{(int)age.TotalDays}d {age.Hours}h",
        { TotalHours: >= 1 } => $"{(int)age.TotalHours}h {age.Minutes}m",
        { TotalMinutes: >= 1 } => $"{(int)age.TotalMinutes}m",
        _ => $"{Math.Max(0, (int)age.TotalSeconds)}s",
    };
}
