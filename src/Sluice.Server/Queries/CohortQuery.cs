using System.Globalization;
using Sluice.Core.Warehouse;
using Sluice.Server.Catalog;
using Sluice.Server.Http;
using Sluice.Warehouses.Values;

namespace Sluice.Server.Queries;

/// <summary>One cohort's distribution of the measured value.</summary>
/// <param name="Cohort">The dimension's value.</param>
/// <param name="Count">Rows with a value.</param>
/// <param name="Avg">Mean.</param>
/// <param name="P25">25th percentile.</param>
/// <param name="Median">Median.</param>
/// <param name="P75">75th percentile.</param>
/// <param name="Min">Least value.</param>
/// <param name="Max">Greatest value.</param>
public sealed record CohortStats(object? Cohort, long Count, double? Avg, double? P25, double? Median, double? P75, double? Min, double? Max);

/// <summary>The answer of <c>/api/v1/metrics/{name}/cohorts</c>.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="By">The dimension whose values make the cohorts.</param>
/// <param name="From">The first day.</param>
/// <param name="To">The last day.</param>
/// <param name="Cohorts">The cohorts: those asked for, in that order, or the ten largest.</param>
public sealed record CohortsResponse(string Metric, string By, string From, string To, IReadOnlyList<CohortStats> Cohorts);

/// <summary>A metric's measured value compared across the values of one dimension.</summary>
internal sealed class CohortQuery
{
    public const int MaxCohorts = 10;

    private static readonly double[] Quartiles = [0.25, 0.5, 0.75];

    private CohortQuery(ServedMetric metric, string by, ColumnSpec column, IReadOnlyList<(string Text, object Value)> cohorts, QueryScope scope) =>
        (Metric, By, Column, Cohorts, Scope) = (metric, by, column, cohorts, scope);

    public ServedMetric Metric { get; }

    public string By { get; }

    public ColumnSpec Column { get; }

    public IReadOnlyList<(string Text, object Value)> Cohorts { get; }

    public QueryScope Scope { get; }

    public static CohortQuery Read(ServedMetric metric, RequestParameters parameters, string? tenant, DateOnly today)
    {
        if (!metric.HasNumericValue)
        {
            throw ApiProblem.BadParameter("name", $"metric '{metric.Name}' counts rows; cohorts compare the distribution of a value per row, so ask for a metric with sum, avg, min, max or percentile.");
        }

        var by = parameters.Text("by") ?? throw ApiProblem.BadParameter("by", $"'by' is required: the dimension whose values make the cohorts, one of {MetricDimensions(metric)}.");
        if (!metric.Dimensions.TryGetValue(by, out var column))
        {
            throw ApiProblem.BadParameter("by", $"'{RequestParameters.Shown(by)}' is not a dimension of metric '{metric.Name}'; use one of {MetricDimensions(metric)}.");
        }

        var cohorts = parameters.List("cohorts", MaxCohorts).Distinct(StringComparer.Ordinal).Select(text =>
            (text, ColumnText.TryParse(column, text) ?? throw ApiProblem.BadParameter("cohorts", $"cohort '{RequestParameters.Shown(text)}' must be {ColumnText.Expected(column)}, as dimension '{by}' is."))).ToList();
        var scope = DateRange.Read(parameters, tenant, today);
        parameters.RejectUnknown();
        return new CohortQuery(metric, by, column, cohorts, scope);
    }

    /// <summary>The request in a canonical form.</summary>
    public string Key => $"cohorts&{Metric.Name}&{By}&{Scope.Key}&{string.Join("|", Cohorts.Select(c => CacheKey.Escape(c.Text)))}";

    public async Task<(CohortsResponse Response, double Milliseconds)> RunAsync(QueryRunner runner, CancellationToken cancellationToken)
    {
        var dialect = runner.Dialect;
        var parameters = new SqlParameters();
        var value = MeasureSql.AsDouble(dialect, Metric.Definition.Measure.Expression!);
        var column = dialect.Quote(Column.Name);
        var conditions = new List<string> { Scope.TimeCondition(dialect, Metric.Time, parameters), $"{value} is not null" };
        if (Scope.TenantCondition(dialect, Metric.Relation.Tenant, parameters) is { } tenant)
        {
            conditions.Add(tenant);
        }

        if (Cohorts.Count > 0)
        {
            conditions.Add($"{column} in ({parameters.AddAll(Cohorts.Select(c => c.Value))})");
        }
        else
        {
            conditions.Add($"{column} is not null");
        }

        var sql = $"""
            select {column}, count(*), avg({value}), {string.Join(", ", dialect.Percentiles(value, Quartiles))}, min({value}), max({value})
            from {dialect.Quote(Metric.Relation.Table)}
            where {string.Join(" and ", conditions)}
            group by {column}
            order by count(*) desc, {column}
            limit {MaxCohorts.ToString(CultureInfo.InvariantCulture)}
            """;
        var (rows, milliseconds) = await runner.RunAsync(sql, parameters.Values, (reader, token) => QueryRunner.ReadAllAsync(reader, r => new CohortStats(
            ApiValues.From(r.GetValue(0)),
            QueryRunner.Long(r, 1),
            QueryRunner.Double(r, 2),
            QueryRunner.Double(r, 3),
            QueryRunner.Double(r, 4),
            QueryRunner.Double(r, 5),
            QueryRunner.Double(r, 6),
            QueryRunner.Double(r, 7)), token), cancellationToken);

        // Cohorts asked for come back in the order asked, those without rows with a count of 0.
        IReadOnlyList<CohortStats> cohorts = Cohorts.Count == 0
            ? rows
            : [.. Cohorts.Select(c => rows.FirstOrDefault(r => Same(r.Cohort, c.Value)) ?? new CohortStats(ApiValues.From(c.Value), 0, null, null, null, null, null, null))];
        var (from, to) = Scope.Text;
        return (new CohortsResponse(Metric.Name, By, from, to, cohorts), milliseconds);
    }

    // The engine may return another CLR type than the parameter's (long for int).
    private static bool Same(object? row, object asked) => ValueText.Format(row) == ValueText.Format(ApiValues.From(asked));

    private static string MetricDimensions(ServedMetric metric) => metric.Dimensions.Count == 0 ? "(it has none)" : string.Join(", ", metric.Dimensions.Keys);
}
