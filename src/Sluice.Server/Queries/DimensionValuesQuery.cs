using System.Globalization;
using Sluice.Core.Warehouse;
using Sluice.Server.Catalog;
using Sluice.Server.Http;

namespace Sluice.Server.Queries;

/// <summary>One value of a dimension and the rows holding it.</summary>
/// <param name="Value">The value.</param>
/// <param name="Count">Rows with it in the range.</param>
public sealed record DimensionValue(object? Value, long Count);

/// <summary>The answer of <c>/api/v1/metrics/{name}/dimensions/{dimension}/values</c>.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Dimension">The dimension.</param>
/// <param name="From">The first day.</param>
/// <param name="To">The last day.</param>
/// <param name="Values">Its values in the range, most frequent first.</param>
public sealed record DimensionValuesResponse(string Metric, string Dimension, string From, string To, IReadOnlyList<DimensionValue> Values);

/// <summary>The values a dimension takes in a metric's rows: what a dashboard's filter picker offers.</summary>
internal sealed class DimensionValuesQuery
{
    public const int MaxLimit = 1000;

    private DimensionValuesQuery(ServedMetric metric, string dimension, ColumnSpec column, QueryScope scope, int limit) =>
        (Metric, Dimension, Column, Scope, Limit) = (metric, dimension, column, scope, limit);

    public ServedMetric Metric { get; }

    public string Dimension { get; }

    public ColumnSpec Column { get; }

    public QueryScope Scope { get; }

    public int Limit { get; }

    public static DimensionValuesQuery Read(ServedMetric metric, string dimension, RequestParameters parameters, string? tenant, DateOnly today)
    {
        if (!metric.Dimensions.TryGetValue(dimension, out var column))
        {
            throw ApiProblem.NotFound("dimension", metric.Dimensions.Count == 0
                ? $"metric '{metric.Name}' has no dimensions."
                : $"'{RequestParameters.Shown(dimension)}' is not a dimension of metric '{metric.Name}'; its dimensions are {string.Join(", ", metric.Dimensions.Keys)}.");
        }

        var scope = DateRange.Read(parameters, tenant, today);
        var limit = parameters.Int("limit", 100, 1, MaxLimit);
        parameters.RejectUnknown();
        return new DimensionValuesQuery(metric, dimension, column, scope, limit);
    }

    /// <summary>The request in a canonical form.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"values&{Metric.Name}&{Dimension}&{Scope.Key}&{Limit}");

    public async Task<(DimensionValuesResponse Response, double Milliseconds)> RunAsync(QueryRunner runner, CancellationToken cancellationToken)
    {
        var dialect = runner.Dialect;
        var parameters = new SqlParameters();
        var column = dialect.Quote(Column.Name);
        var conditions = new List<string> { Scope.TimeCondition(dialect, Metric.Time, parameters), $"{column} is not null" };
        if (Scope.TenantCondition(dialect, Metric.Relation.Tenant, parameters) is { } tenant)
        {
            conditions.Add(tenant);
        }

        var sql = $"""
            select {column}, count(*)
            from {dialect.Quote(Metric.Relation.Table)}
            where {string.Join(" and ", conditions)}
            group by {column}
            order by count(*) desc, {column}
            limit {Limit.ToString(CultureInfo.InvariantCulture)}
            """;
        var (values, milliseconds) = await runner.RunAsync(sql, parameters.Values, (reader, token) =>
            QueryRunner.ReadAllAsync(reader, r => new DimensionValue(ApiValues.From(r.GetValue(0)), QueryRunner.Long(r, 1)), token), cancellationToken);
        var (from, to) = Scope.Text;
        return (new DimensionValuesResponse(Metric.Name, Dimension, from, to, values), milliseconds);
    }
}
