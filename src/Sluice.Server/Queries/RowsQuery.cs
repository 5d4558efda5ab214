using System.Globalization;
using Sluice.Core.Warehouse;
using Sluice.Server.Catalog;
using Sluice.Server.Http;

namespace Sluice.Server.Queries;

/// <summary>The answer of <c>/api/v1/models/{model}/rows</c>.</summary>
/// <param name="Model">The relation.</param>
/// <param name="Rows">The rows, each a map of column to value.</param>
/// <param name="Limit">Rows asked for.</param>
/// <param name="Offset">Rows skipped.</param>
/// <param name="Total">Rows matching the filters in all.</param>
public sealed record RowsResponse(string Model, IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows, int Limit, long Offset, long Total);

/// <summary>
/// Rows of an exposed relation, filtered by its declared filters only: <c>name=v</c> (repeated
/// for any of several values) and, for range filters, <c>name_from</c> and <c>name_to</c>, inclusive.
/// </summary>
internal sealed class RowsQuery
{
    public const int MaxLimit = 1000;
    public const long MaxOffset = 10_000_000;

    /// <summary>The endpoint's own parameters, which no filter may be named.</summary>
    public static readonly string[] Reserved = ["limit", "offset", "order_by"];

    private RowsQuery(ServedRows rows, IReadOnlyList<(ServedFilter Filter, string Operator, IReadOnlyList<object> Values)> conditions, ColumnSpec orderBy, bool descending, int limit, long offset, string? tenant, string key) =>
        (Rows, Conditions, OrderBy, Descending, Limit, Offset, Tenant, Key) = (rows, conditions, orderBy, descending, limit, offset, tenant, key);

    public ServedRows Rows { get; }

    public IReadOnlyList<(ServedFilter Filter, string Operator, IReadOnlyList<object> Values)> Conditions { get; }

    public ColumnSpec OrderBy { get; }

    public bool Descending { get; }

    public int Limit { get; }

    public long Offset { get; }

    public string? Tenant { get; }

    /// <summary>The request in a canonical form.</summary>
    public string Key { get; }

    public static RowsQuery Read(ServedRows rows, RequestParameters parameters, string? tenant)
    {
        var limit = parameters.Int("limit", 100, 1, MaxLimit);
        var offset = parameters.Int("offset", 0, 0, (int)MaxOffset);
        var order = parameters.Text("order_by");
        var descending = order?.StartsWith('-') == true;
        var orderName = descending ? order![1..] : order;
        var orderBy = orderName is null ? rows.Relation.Columns[0]
            : rows.Relation.Columns.FirstOrDefault(c => string.Equals(c.Name, orderName, StringComparison.OrdinalIgnoreCase))
            ?? throw ApiProblem.BadParameter("order_by", $"'{RequestParameters.Shown(orderName)}' is not a column of {rows.Name}; order by one of {rows.Relation.ColumnList}, with a leading '-' for descending.");

        var conditions = new List<(ServedFilter, string, IReadOnlyList<object>)>();
        foreach (var (name, filter) in rows.Filters)
        {
            var values = parameters.Values(name).Select(v => Value(filter, name, v)).ToList();
            if (values.Count > DimensionFilter.MaxValues)
            {
                throw ApiProblem.BadParameter(name, $"'{name}' is given {values.Count} times; at most {DimensionFilter.MaxValues} values are accepted.");
            }

            if (values.Count > 0)
            {
                conditions.Add((filter, "in", values));
            }

            if (!filter.Definition.Range)
            {
                continue;
            }

            foreach (var (suffix, op) in new[] { ("_from", ">="), ("_to", "<=") })
            {
                if (parameters.Text(name + suffix) is { } bound)
                {
                    conditions.Add((filter, op, [Value(filter, name + suffix, bound)]));
                }
            }
        }

        parameters.RejectUnknown();
        var key = string.Create(CultureInfo.InvariantCulture, $"rows&{rows.Name}&{limit}&{offset}&{(descending ? "-" : "")}{orderBy.Name}&{(tenant is null ? "*" : CacheKey.Escape(tenant))}&")
            + string.Join("&", conditions.Select(c => $"{c.Item1.Definition.Name}{c.Item2}{CacheKey.Values(c.Item3)}").Order(StringComparer.Ordinal));
        return new RowsQuery(rows, conditions, orderBy, descending, limit, offset, tenant, key);
    }

    public async Task<(RowsResponse Response, double Milliseconds)> RunAsync(QueryRunner runner, CancellationToken cancellationToken)
    {
        var dialect = runner.Dialect;
        var parameters = new SqlParameters();
        var conditions = new List<string>();
        if (QueryScope.TenantCondition(dialect, Rows.Relation.Tenant, Tenant, parameters) is { } tenant)
        {
            conditions.Add(tenant);
        }

        foreach (var (filter, op, values) in Conditions)
        {
            var column = dialect.Quote(filter.Column.Name);
            conditions.Add(op == "in"
                ? values.Count == 1 ? $"{column} = {parameters.Add(values[0])}" : $"{column} in ({parameters.AddAll(values)})"
                : $"{column} {op} {parameters.Add(values[0])}");
        }

        var where = conditions.Count == 0 ? string.Empty : "where " + string.Join(" and ", conditions);
        var columns = Rows.Relation.Columns;
        var direction = Descending ? "desc nulls last" : "asc nulls last";
        var tieBreak = OrderBy == columns[0] ? string.Empty : $", {dialect.Quote(columns[0].Name)}";
        // Where the engine has window functions the rows carry the count of all; elsewhere a
        // second query counts them.
        var counted = runner.Warehouse.Capabilities.WindowFunctions;
        var sql = $"""
            select {string.Join(", ", columns.Select(c => dialect.Quote(c.Name)))}{(counted ? ", count(*) over ()" : "")}
            from {dialect.Quote(Rows.Relation.Table)}
            {where}
            order by {dialect.Quote(OrderBy.Name)} {direction}{tieBreak}
            limit {Limit.ToString(CultureInfo.InvariantCulture)} offset {Offset.ToString(CultureInfo.InvariantCulture)}
            """;
        var ((rows, total), milliseconds) = await runner.RunAsync(sql, parameters.Values, async (reader, token) =>
        {
            var rows = new List<IReadOnlyDictionary<string, object?>>();
            long total = 0;
            while (await reader.ReadAsync(token))
            {
                var row = new Dictionary<string, object?>(columns.Count, StringComparer.Ordinal);
                for (var i = 0; i < columns.Count; i++)
                {
                    row[columns[i].Name] = ApiValues.From(reader.GetValue(i));
                }

                rows.Add(row);
                total = counted ? QueryRunner.Long(reader, columns.Count) : 0;
            }

            return (rows, total);
        }, cancellationToken);

        if (!counted || (rows.Count == 0 && Offset > 0))
        {
            total = await runner.CountAsync($"select count(*) from {dialect.Quote(Rows.Relation.Table)} {where}", parameters.Values, cancellationToken);
        }

        return (new RowsResponse(Rows.Name, rows, Limit, Offset, total), milliseconds);
    }

    private static object Value(ServedFilter filter, string parameter, string text) =>
        ColumnText.TryParse(filter.Column, text)
        ?? throw ApiProblem.BadParameter(parameter, $"'{parameter}' must be {ColumnText.Expected(filter.Column)}, not '{RequestParameters.Shown(text)}'.");
}
