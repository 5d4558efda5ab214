using System.Globalization;
using System.Text;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Server.Catalog;
using Sluice.Server.Http;

namespace Sluice.Server.Queries;

/// <summary>One period of a trend (per group when grouped): the metric's value and the spread of the measured values.</summary>
/// <param name="Period">The period's first day.</param>
/// <param name="Group">The grouping dimensions' values, or null when not grouped.</param>
/// <param name="Value">The metric.</param>
/// <param name="Count">Rows in the period.</param>
/// <param name="Min">Least measured value (null for counting metrics).</param>
/// <param name="Max">Greatest measured value.</param>
/// <param name="Stddev">Sample standard deviation of the measured values.</param>
public sealed record TrendPeriod(string Period, IReadOnlyDictionary<string, object?>? Group, double? Value, long Count, double? Min, double? Max, double? Stddev);

/// <summary>The answer of <c>/api/v1/metrics/{name}/trend</c>.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Granularity">day, week or month.</param>
/// <param name="From">The first day asked for.</param>
/// <param name="To">The last day asked for.</param>
/// <param name="GroupBy">The grouping dimensions.</param>
/// <param name="Periods">This page's periods, oldest first.</param>
/// <param name="Pagination">The page and the number of periods in all.</param>
/// <param name="Rollup">The rollup of the metric's model that gave the answer, or null when the model's rows did.</param>
public sealed record TrendResponse(string Metric, string Granularity, string From, string To, IReadOnlyList<string> GroupBy, IReadOnlyList<TrendPeriod> Periods, Pagination Pagination, string? Rollup);

/// <summary>A metric over time: one row per period (and group), paged.</summary>
internal sealed class TrendQuery
{
    public const int MaxPageSize = 1000;
    public const int MaxGroupBy = 3;
    /// <summary>The granularity of one period for the whole range (a dashboard's single number).</summary>
    public const string Total = "total";

    private static readonly string[] Granularities = ["day", "week", "month", Total];

    private TrendQuery(ServedMetric metric, string granularity, QueryScope scope, IReadOnlyList<string> groupBy, IReadOnlyList<DimensionFilter> filters, int page, int pageSize) =>
        (Metric, Granularity, Scope, GroupBy, Filters, Page, PageSize) = (metric, granularity, scope, groupBy, filters, page, pageSize);

    public ServedMetric Metric { get; }

    public string Granularity { get; }

    public QueryScope Scope { get; }

    public IReadOnlyList<string> GroupBy { get; }

    public IReadOnlyList<DimensionFilter> Filters { get; }

    public int Page { get; }

    public int PageSize { get; }

    /// <summary>Reads the request's parameters, refusing any the endpoint does not take.</summary>
    public static TrendQuery Read(ServedMetric metric, RequestParameters parameters, string? tenant, DateOnly today)
    {
        var granularity = parameters.Choice("granularity", "day", Granularities);
        var scope = DateRange.Read(parameters, tenant, today);
        var groupBy = parameters.List("group_by", MaxGroupBy);
        foreach (var dimension in groupBy)
        {
            if (!metric.Dimensions.ContainsKey(dimension))
            {
                throw ApiProblem.BadParameter("group_by", metric.Dimensions.Count == 0
                    ? $"metric '{metric.Name}' has no dimensions to group by."
                    : $"'{RequestParameters.Shown(dimension)}' is not a dimension of metric '{metric.Name}'; group by one of {string.Join(", ", metric.Dimensions.Keys)}.");
            }
        }

        if (groupBy.Distinct(StringComparer.Ordinal).Count() != groupBy.Count)
        {
            throw ApiProblem.BadParameter("group_by", "group_by names a dimension twice.");
        }

        var filters = DimensionFilter.Read(parameters, metric.Dimensions, $"metric '{metric.Name}'");
        var page = parameters.Int("page", 1, 1, 1_000_000);
        var pageSize = parameters.Int("page_size", 100, 1, MaxPageSize);
        parameters.RejectUnknown();
        return new TrendQuery(metric, granularity, scope, groupBy, filters, page, pageSize);
    }

    /// <summary>The request in a canonical form: equal for requests with equal answers.</summary>
    public string Key =>
        string.Create(CultureInfo.InvariantCulture, $"trend&{Metric.Name}&{Granularity}&{Scope.Key}&{string.Join(",", GroupBy)}&{string.Join("&", Filters.Select(f => f.Key).Order(StringComparer.Ordinal))}&{Page}&{PageSize}");

    /// <summary>Answers from the coarsest rollup that can give the answer, else from the model's rows.</summary>
    public async Task<(TrendResponse Response, double Milliseconds)> RunAsync(QueryRunner runner, BuiltRollups rollups, CancellationToken cancellationToken)
    {
        foreach (var rollup in Metric.Rollups.Where(r => RollupTrend.CanAnswer(this, r)))
        {
            if (!await rollups.IsBuiltAsync(rollup))
            {
                continue;
            }

            try
            {
                return await RunOnAsync(runner, rollup, cancellationToken);
            }
            catch (WarehouseException e) when (!e.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                // Recorded as built but not readable (dropped by hand, say): the rows still answer.
                // A warehouse that does not answer is no fault of the rollup's.
                rollups.SetAside(rollup, e);
                break;
            }
        }

        return await RunOnAsync(runner, null, cancellationToken);
    }

    private async Task<(TrendResponse Response, double Milliseconds)> RunOnAsync(QueryRunner runner, ServedRollup? rollup, CancellationToken cancellationToken)
    {
        // Where the engine has window functions the page's rows carry the count of all periods;
        // elsewhere a second query counts them.
        var counted = runner.Warehouse.Capabilities.WindowFunctions;
        var (sql, parameters) = rollup is null ? Sql(runner.Dialect, counted) : RollupTrend.Sql(this, rollup, runner.Dialect, counted);
        var ((periods, total), milliseconds) = await runner.RunAsync(sql, parameters, async (reader, token) =>
        {
            var rows = new List<TrendPeriod>();
            long total = 0;
            while (await reader.ReadAsync(token))
            {
                var group = GroupBy.Count == 0 ? null : GroupBy.Select((d, i) => (d, i)).ToDictionary(g => g.d, g => ApiValues.From(reader.GetValue(1 + g.i)));
                var at = 1 + GroupBy.Count;
                rows.Add(new TrendPeriod(
                    QueryScope.Day(QueryScope.AsDay(reader.GetValue(0))),
                    group,
                    QueryRunner.Double(reader, at),
                    QueryRunner.Long(reader, at + 1),
                    QueryRunner.Double(reader, at + 2),
                    QueryRunner.Double(reader, at + 3),
                    QueryRunner.Double(reader, at + 4)));
                total = counted ? QueryRunner.Long(reader, at + 5) : 0;
            }

            return (rows, total);
        }, cancellationToken);

        // A page past the end has no rows to carry the total; count the periods then.
        if (!counted || (periods.Count == 0 && Page > 1))
        {
            var (countSql, countParameters) = rollup is null ? CountSql(runner.Dialect) : RollupTrend.CountSql(this, rollup, runner.Dialect);
            var (counting, countMilliseconds) = await runner.RunAsync(countSql, countParameters, async (reader, token) => await reader.ReadAsync(token) ? QueryRunner.Long(reader, 0) : 0, cancellationToken);
            (total, milliseconds) = (counting, milliseconds + countMilliseconds);
        }

        var (from, to) = Scope.Text;
        return (new TrendResponse(Metric.Name, Granularity, from, to, GroupBy, periods, new Pagination(Page, PageSize, total), rollup?.Definition.Name), milliseconds);
    }

    // The result's names start with _sluice_ so that none hides a column of the relation:
    // ClickHouse reads a name as the alias before the column, in WHERE and GROUP BY too.
    private (string Sql, IReadOnlyList<object?> Parameters) Sql(ISqlDialect dialect, bool counted)
    {
        var parameters = new SqlParameters();
        var (period, groups) = Keys(dialect);
        var measure = Metric.Definition.Measure;
        var spread = Metric.HasNumericValue
            ? (MeasureSql.AsDouble(dialect, $"min({measure.Expression})"), MeasureSql.AsDouble(dialect, $"max({measure.Expression})"), $"stddev_samp({MeasureSql.AsDouble(dialect, measure.Expression!)})")
            : ("null", "null", "null");
        List<string> keys = [period, .. groups];
        var sql = new StringBuilder()
            .Append("select ").Append(period).Append(" as _sluice_period")
            .Append(string.Concat(groups.Select(g => ", " + g)))
            .Append(", ").Append(MeasureSql.Value(measure, dialect)).Append(" as _sluice_value, count(*) as _sluice_rows, ")
            .Append(spread.Item1).Append(", ").Append(spread.Item2).Append(", ").Append(spread.Item3)
            .Append(counted ? ", count(*) over () as _sluice_total" : "").Append(" from ").Append(dialect.Quote(Metric.Relation.Table))
            .Append(" where ").Append(Where(dialect, parameters, Metric.Time))
            .Append(" group by ").Append(string.Join(", ", keys))
            .Append(" order by ").Append(OrderBy(keys))
            .Append(CultureInfo.InvariantCulture, $" limit {PageSize} offset {(long)(Page - 1) * PageSize}");
        return (sql.ToString(), parameters.Values);
    }

    /// <summary>
    /// The order of a page: by period, then groups, NULLs last. Grouped and ordered by the
    /// expressions, not positions: not every engine reads a number there as a position.
    /// </summary>
    public static string OrderBy(IEnumerable<string> keys) => string.Join(", ", keys.Select(k => $"{k} nulls last"));

    private (string Sql, IReadOnlyList<object?> Parameters) CountSql(ISqlDialect dialect)
    {
        var parameters = new SqlParameters();
        var (period, groups) = Keys(dialect);
        return ($"select count(*) from (select distinct {string.Join(", ", groups.Prepend(period))} from {dialect.Quote(Metric.Relation.Table)} where {Where(dialect, parameters, Metric.Time)}) periods", parameters.Values);
    }

    // What a period (and group) is keyed by: the period's first day, then the grouping columns.
    private (string Period, List<string> Groups) Keys(ISqlDialect dialect) =>
        (PeriodOf(dialect, dialect.Quote(Metric.Time.Name)), [.. GroupBy.Select(d => dialect.Quote(Metric.Dimensions[d].Name))]);

    /// <summary>The first day of the period holding <paramref name="time"/>; with <see cref="Total"/>, the range's first day.</summary>
    public string PeriodOf(ISqlDialect dialect, string time) => Granularity == Total
        ? $"cast('{Scope.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}' as date)"
        : dialect.PeriodStart(Granularity, time);

    /// <summary>The request's conditions, with <paramref name="time"/> (the metric's, or a rollup's period) kept in the range.</summary>
    public string Where(ISqlDialect dialect, SqlParameters parameters, ColumnSpec time)
    {
        var conditions = new List<string> { Scope.TimeCondition(dialect, time, parameters) };
        if (Scope.TenantCondition(dialect, Metric.Relation.Tenant, parameters) is { } tenant)
        {
            conditions.Add(tenant);
        }

        conditions.AddRange(Filters.Select(f => f.Condition(dialect, parameters)));
        return string.Join(" and ", conditions);
    }
}
