using Sluice.Core.Warehouse;
using Sluice.Server.Catalog;
using Sluice.Server.Http;

namespace Sluice.Server.Queries;

/// <summary>One step of a funnel.</summary>
/// <param name="Step">The step's event.</param>
/// <param name="Entities">Entities that reached it.</param>
/// <param name="Dropoff">Entities that reached the step before but not this one (0 for the first).</param>
/// <param name="ConversionFromPrevious">Entities here over entities at the step before (1 for the first); null when there were none.</param>
/// <param name="ConversionFromFirst">Entities here over entities at the first step; null when there were none.</param>
public sealed record FunnelStep(string Step, long Entities, long Dropoff, double? ConversionFromPrevious, double? ConversionFromFirst);

/// <summary>The answer of <c>/api/v1/funnels/{name}</c>.</summary>
/// <param name="Funnel">The funnel.</param>
/// <param name="From">The first day a first step may fall on.</param>
/// <param name="To">The last day a first step may fall on.</param>
/// <param name="WindowSeconds">How long after its first step an entity's later steps count; null for no limit.</param>
/// <param name="Steps">The steps in order.</param>
/// <param name="TotalEntities">Entities that took the first step.</param>
/// <param name="OverallConversion">Entities at the last step over those at the first; null when there were none.</param>
public sealed record FunnelResponse(string Funnel, string From, string To, long? WindowSeconds, IReadOnlyList<FunnelStep> Steps, long TotalEntities, double? OverallConversion);

/// <summary>
/// Entities through ordered steps: an entity enters with its first first-step event in the
/// range, and reaches each later step with its first event of that step at or after the
/// previous step, within the window of its entry. Later steps may fall after the range's end.
/// </summary>
internal sealed class FunnelQuery
{
    private FunnelQuery(ServedFunnel funnel, QueryScope scope, IReadOnlyList<DimensionFilter> filters) =>
        (Funnel, Scope, Filters) = (funnel, scope, filters);

    public ServedFunnel Funnel { get; }

    public QueryScope Scope { get; }

    public IReadOnlyList<DimensionFilter> Filters { get; }

    public static FunnelQuery Read(ServedFunnel funnel, RequestParameters parameters, string? tenant, DateOnly today)
    {
        var scope = DateRange.Read(parameters, tenant, today);
        var filters = DimensionFilter.Read(parameters, funnel.Dimensions, $"funnel '{funnel.Name}'");
        parameters.RejectUnknown();
        return new FunnelQuery(funnel, scope, filters);
    }

    /// <summary>The request in a canonical form.</summary>
    public string Key => $"funnel&{Funnel.Name}&{Scope.Key}&{string.Join("&", Filters.Select(f => f.Key).Order(StringComparer.Ordinal))}";

    public async Task<(FunnelResponse Response, double Milliseconds)> RunAsync(QueryRunner runner, CancellationToken cancellationToken)
    {
        var (sql, parameters) = Sql(runner.Dialect);
        var steps = Funnel.Definition.Steps;
        var (counts, milliseconds) = await runner.RunAsync(sql, parameters, async (reader, token) =>
        {
            await reader.ReadAsync(token);
            return Enumerable.Range(0, steps.Count).Select(i => QueryRunner.Long(reader, i)).ToArray();
        }, cancellationToken);

        var result = steps.Select((step, i) => new FunnelStep(
            step,
            counts[i],
            i == 0 ? 0 : counts[i - 1] - counts[i],
            i == 0 ? (counts[0] == 0 ? null : 1.0) : Ratio(counts[i], counts[i - 1]),
            Ratio(counts[i], counts[0]))).ToList();
        var (from, to) = Scope.Text;
        return (new FunnelResponse(Funnel.Name, from, to, (long?)Funnel.Definition.Window?.TotalSeconds, result, counts[0], Ratio(counts[^1], counts[0])), milliseconds);
    }

    private (string Sql, IReadOnlyList<object?> Parameters) Sql(ISqlDialect dialect)
    {
        var parameters = new SqlParameters();
        var steps = Funnel.Definition.Steps.Select(s => parameters.Add(ColumnText.TryParse(Funnel.Step, s) ?? s)).ToList();
        var time = dialect.Quote(Funnel.Time.Name);
        var conditions = new List<string>
        {
            $"{dialect.Quote(Funnel.Step.Name)} in ({string.Join(", ", steps)})",
            $"{time} >= {parameters.Add(QueryScope.Bound(Scope.From, Funnel.Time.Type.Kind))}",
            $"{dialect.Quote(Funnel.Entity.Name)} is not null",
        };
        if (Scope.TenantCondition(dialect, Funnel.Relation.Tenant, parameters) is { } tenant)
        {
            conditions.Add(tenant);
        }

        conditions.AddRange(Filters.Select(f => f.Condition(dialect, parameters)));
        var end = parameters.Add(QueryScope.Bound(Scope.To.AddDays(1), Funnel.Time.Type.Kind));
        var funnel = new FunnelSql(
            dialect.Quote(Funnel.Relation.Table),
            dialect.Quote(Funnel.Entity.Name),
            dialect.Quote(Funnel.Step.Name),
            time,
            steps,
            string.Join(" and ", conditions),
            end,
            Funnel.Definition.Window is { } w ? (long)w.TotalSeconds : null);
        return (dialect.FunnelCounts(funnel), parameters.Values);
    }

    private static double? Ratio(long part, long whole) => whole == 0 ? null : (double)part / whole;
}
