using Sluice.Core.Warehouse;
using Sluice.Server.Http;

namespace Sluice.Server.Queries;

/// <summary>A <c>filter[dimension]=value</c> of a request: rows whose dimension holds one of the values given.</summary>
/// <param name="Name">The dimension's name.</param>
/// <param name="Column">Its column.</param>
/// <param name="Values">The values, typed as the column.</param>
internal sealed record DimensionFilter(string Name, ColumnSpec Column, IReadOnlyList<object> Values)
{
    /// <summary>The most values one dimension may be filtered by.</summary>
    public const int MaxValues = 100;

    /// <summary>Reads every <c>filter[…]</c> parameter; a dimension given twice matches either value.</summary>
    public static IReadOnlyList<DimensionFilter> Read(RequestParameters parameters, IReadOnlyDictionary<string, ColumnSpec> dimensions, string owner)
    {
        var filters = new List<DimensionFilter>();
        foreach (var group in parameters.Bracketed("filter").GroupBy(f => f.Key, StringComparer.Ordinal))
        {
            var parameter = group.First().Parameter;
            if (!dimensions.TryGetValue(group.Key, out var column))
            {
                throw ApiProblem.BadParameter(parameter, dimensions.Count == 0
                    ? $"{owner} has no dimensions to filter by."
                    : $"'{RequestParameters.Shown(group.Key)}' is not a dimension of {owner}; filter by one of {string.Join(", ", dimensions.Keys)}.");
            }

            if (!ColumnText.IsFilterable(column))
            {
                throw ApiProblem.BadParameter(parameter, $"dimension '{group.Key}' holds {column.Type.Kind} values, which cannot be filtered by.");
            }

            var values = group.Select(f => ColumnText.TryParse(column, f.Value)
                ?? throw ApiProblem.BadParameter(parameter, $"'{parameter}' must be {ColumnText.Expected(column)}, not '{RequestParameters.Shown(f.Value)}'.")).ToList();
            if (values.Count > MaxValues)
            {
                throw ApiProblem.BadParameter(parameter, $"'{parameter}' is given {values.Count} times; at most {MaxValues} values are accepted.");
            }

            filters.Add(new DimensionFilter(group.Key, column, values));
        }

        return filters;
    }

    /// <summary>The SQL condition, with the values as parameters.</summary>
    public string Condition(ISqlDialect dialect, SqlParameters parameters) =>
        Values.Count == 1
            ? $"{dialect.Quote(Column.Name)} = {parameters.Add(Values[0])}"
            : $"{dialect.Quote(Column.Name)} in ({parameters.AddAll(Values)})";

    /// <summary>The filter as a cache key writes it.</summary>
    public string Key => $"{Name}={CacheKey.Values(Values)}";
}
