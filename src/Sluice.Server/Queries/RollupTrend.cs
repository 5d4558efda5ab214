using System.Globalization;
using System.Text;
using Sluice.Core.Metrics;
using Sluice.Core.Models;
using Sluice.Core.Warehouse;
using Sluice.Server.Catalog;

namespace Sluice.Server.Queries;

/// <summary>
/// A trend answered from a rollup: the rollup's groups within the range are folded into the
/// trend's periods and groups. Counts and sums add up, minima and maxima take the extremes, and
/// the standard deviation combines each group's squared deviations with its mean's distance from
/// the period's mean: the same figures the model's rows give.
/// </summary>
internal static class RollupTrend
{
    private static readonly ColumnSpec PeriodColumn = new(RollupDefinition.PeriodColumn, ColumnType.Date);

    /// <summary>Whether <paramref name="rollup"/> holds every row and column <paramref name="query"/> needs.</summary>
    public static bool CanAnswer(TrendQuery query, ServedRollup rollup)
    {
        var metric = query.Metric;
        if (query.GroupBy.Any(d => !rollup.Keeps(metric.Dimensions[d])) || query.Filters.Any(f => !rollup.Keeps(f.Column)))
        {
            return false;
        }

        if (query.Scope.Tenant is not null && (metric.Relation.Tenant is not { } tenant || !rollup.Keeps(tenant)))
        {
            return false;
        }

        // A week or month rollup can only give whole weeks or months of its own kind.
        var (from, to) = (query.Scope.From, query.Scope.To);
        return rollup.Definition.Grain switch
        {
            PartitionGrain.Day => true,
            PartitionGrain.Week => query.Granularity == "week" && from.DayOfWeek == DayOfWeek.Monday && to.DayOfWeek == DayOfWeek.Sunday,
            _ => query.Granularity == "month" && from.Day == 1 && to.AddDays(1).Day == 1,
        };
    }

    /// <summary>The page's query, reading the columns <see cref="TrendQuery"/> reads from its own.</summary>
    public static (string Sql, IReadOnlyList<object?> Parameters) Sql(TrendQuery query, ServedRollup rollup, ISqlDialect dialect, bool counted)
    {
        var parameters = new SqlParameters();
        var groups = Groups(query, dialect);
        var period = Period(query, dialect);
        var rows = $"cast(sum({dialect.Quote(RollupDefinition.RowCountColumn)}) as bigint)";
        var sql = new StringBuilder()
            .Append("select ").Append(period).Append(" as _sluice_period").Append(string.Concat(groups.Select(g => ", " + g)));
        if (rollup.Measure is null)
        {
            sql.Append(", ").Append(dialect.CastTo(rows, ColumnType.Double)).Append(" as _sluice_value, ").Append(rows).Append(" as _sluice_rows, null, null, null");
        }
        else
        {
            var (count, sum, m2, min, max) = RollupDefinition.MeasureColumns(rollup.Measure);
            var (n, s) = (dialect.CastTo($"sum({dialect.Quote(count)})", ColumnType.Double), $"sum({dialect.Quote(sum)})");
            sql.Append(", ").Append(dialect.CastTo(Value(query.Metric.Definition.Measure.Aggregation, dialect, rollup.Measure), ColumnType.Double)).Append(" as _sluice_value, ")
                .Append(rows).Append(" as _sluice_rows, ");
            if (query.Metric.HasNumericValue)
            {
                // Squared deviations from the period's mean: each group's own, plus its size times
                // its mean's squared distance from the period's mean (sum of s²/n less S²/N). The
                // groups' deviations are exact; the second term loses precision only when the
                // mean is many orders of magnitude larger than the spread.
                var between = $"sum(case when {dialect.Quote(count)} > 0 then {dialect.Quote(sum)} * {dialect.Quote(sum)} / {dialect.Quote(count)} end) - {s} * {s} / {n}";
                sql.Append("min(").Append(dialect.Quote(min)).Append("), max(").Append(dialect.Quote(max)).Append("), case when ").Append(n)
                    .Append(" > 1 then sqrt(greatest(sum(").Append(dialect.Quote(m2)).Append(") + ").Append(between).Append(", 0) / (").Append(n).Append(" - 1)) end");
            }
            else
            {
                sql.Append("null, null, null");
            }
        }

        List<string> keys = [period, .. groups];
        sql.Append(counted ? ", count(*) over () as _sluice_total" : "").Append(" from ").Append(dialect.Quote(rollup.Table)).Append(" where ").Append(query.Where(dialect, parameters, PeriodColumn));
        sql.Append(" group by ").Append(string.Join(", ", keys))
            .Append(" order by ").Append(TrendQuery.OrderBy(keys))
            .Append(CultureInfo.InvariantCulture, $" limit {query.PageSize} offset {(long)(query.Page - 1) * query.PageSize}");
        return (sql.ToString(), parameters.Values);
    }

    /// <summary>The number of periods (and groups) in all, for a page past the end.</summary>
    public static (string Sql, IReadOnlyList<object?> Parameters) CountSql(TrendQuery query, ServedRollup rollup, ISqlDialect dialect)
    {
        var parameters = new SqlParameters();
        var keys = string.Join(", ", Groups(query, dialect).Prepend(Period(query, dialect)));
        return ($"select count(*) from (select distinct {keys} from {dialect.Quote(rollup.Table)} where {query.Where(dialect, parameters, PeriodColumn)}) periods", parameters.Values);
    }

    private static string Value(Aggregation aggregation, ISqlDialect dialect, string measure)
    {
        var (count, sum, _, min, max) = RollupDefinition.MeasureColumns(measure);
        return aggregation switch
        {
            Aggregation.Count => $"sum({dialect.Quote(count)})",
            Aggregation.Sum => $"sum({dialect.Quote(sum)})",
            Aggregation.Avg => $"sum({dialect.Quote(sum)}) / {dialect.CastTo($"nullif(sum({dialect.Quote(count)}), 0)", ColumnType.Double)}",
            Aggregation.Min => $"min({dialect.Quote(min)})",
            Aggregation.Max => $"max({dialect.Quote(max)})",
            _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "No rollup gives this aggregation."),
        };
    }

    // The rollup's period, truncated again when the trend's periods are longer.
    private static string Period(TrendQuery query, ISqlDialect dialect) => query.PeriodOf(dialect, dialect.Quote(RollupDefinition.PeriodColumn));

    private static List<string> Groups(TrendQuery query, ISqlDialect dialect) =>
        [.. query.GroupBy.Select(d => dialect.Quote(query.Metric.Dimensions[d].Name))];
}
