using Sluice.Server.Http;
using Sluice.Server.Queries;

namespace Sluice.Server.Api;

/// <summary>The query parameters several endpoints share, as <c>/openapi/v1.json</c> describes them.</summary>
internal static class ParameterDocs
{
    /// <summary><c>from</c> and <c>to</c>, inclusive days.</summary>
    public static readonly QueryParameter[] Range =
    [
        QueryParameter.Day("from", $"First day, inclusive (default: {DateRange.DefaultDays} days before `to`)."),
        QueryParameter.Day("to", "Last day, inclusive (default: today, UTC)."),
    ];

    /// <summary><c>filter[dimension]=value</c>, repeatable.</summary>
    public static readonly QueryParameter Filter =
        new("filter", "Keep rows whose dimension has the value: `filter[dimension]=value`; repeat a dimension for any of several values.") { Bracketed = true };

    /// <summary><c>limit</c>, <c>offset</c> and <c>since</c> of the pipeline's history.</summary>
    public static QueryParameter[] History(int maxLimit, params QueryParameter[] filters) =>
    [
        .. filters,
        QueryParameter.Day("since", "Only what started on or after this day."),
        QueryParameter.Number("limit", $"Items per page, 1 to {maxLimit} (default 50)."),
        QueryParameter.Number("offset", "Items to skip (default 0)."),
    ];

    /// <summary>The given parameters followed by <paramref name="more"/>.</summary>
    public static QueryParameter[] With(this QueryParameter[] parameters, params QueryParameter[] more) => [.. parameters, .. more];
}
