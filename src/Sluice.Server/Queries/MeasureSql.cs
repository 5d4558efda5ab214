using Sluice.Core.Metrics;
using Sluice.Core.Warehouse;

namespace Sluice.Server.Queries;

/// <summary>The SQL of a metric's measure. Expressions come from metrics.yml and were compiled against their relation when the server started.</summary>
internal static class MeasureSql
{
    /// <summary>The aggregate, as a double so that every engine returns one type.</summary>
    public static string Value(Measure measure, ISqlDialect dialect) => AsDouble(dialect, measure.Aggregation switch
    {
        Aggregation.Count => measure.Expression is null ? "count(*)" : $"count({measure.Expression})",
        Aggregation.CountDistinct => $"count(distinct {measure.Expression})",
        Aggregation.Sum => $"sum({measure.Expression})",
        Aggregation.Avg => dialect.Mean(measure.Expression!),
        Aggregation.Min => $"min({measure.Expression})",
        Aggregation.Max => $"max({measure.Expression})",
        Aggregation.Percentile => dialect.Percentile(measure.Expression!, measure.Percentile!.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure.Aggregation, "Unknown aggregation."),
    });

    /// <summary><paramref name="sql"/> cast to a double.</summary>
    public static string AsDouble(ISqlDialect dialect, string sql) => dialect.CastTo(sql, ColumnType.Double);
}
