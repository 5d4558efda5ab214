using Sluice.Core.Metrics;
using Sluice.Server.Catalog;
using Sluice.Server.Http;
using Sluice.Warehouses.Values;

namespace Sluice.Server.Queries;

/// <summary>The distribution of the peers' values.</summary>
/// <param name="Count">Peers with a value in the range (the entity itself not counted); null when withheld.</param>
/// <param name="P25">25th percentile of their values.</param>
/// <param name="Median">Their median.</param>
/// <param name="P75">75th percentile.</param>
/// <param name="Scope">Whose rows the peers come from: <c>all</c> (a key that sees every tenant), <c>tenant</c> (the tenant key's own rows) or <c>cross_tenant</c> (other tenants, as quartiles only).</param>
/// <param name="Withheld">Why the peers' figures are not given, or null when they are.</param>
public sealed record PeerStats(long? Count, double? P25, double? Median, double? P75, string Scope, string? Withheld);

/// <summary>The answer of <c>/api/v1/benchmarks/{name}</c>.</summary>
/// <param name="Benchmark">The benchmark.</param>
/// <param name="Metric">The metric compared.</param>
/// <param name="Entity">The entity compared.</param>
/// <param name="By">The peer group.</param>
/// <param name="Group">The entity's value of the peer group's column (its industry, region…).</param>
/// <param name="From">The first day.</param>
/// <param name="To">The last day.</param>
/// <param name="Value">The entity's value of the metric; null when it has no rows in the range.</param>
/// <param name="Peers">The peers' values.</param>
/// <param name="Difference">Value minus the peers' median.</param>
/// <param name="PercentDifference">The difference as a percentage of the median's size.</param>
public sealed record BenchmarkResponse(string Benchmark, string Metric, object? Entity, string By, object? Group, string From, string To, double? Value, PeerStats Peers, double? Difference, double? PercentDifference);

/// <summary>An entity's value of a metric against the values of the entities sharing its peer group.</summary>
internal sealed class BenchmarkQuery
{
    private BenchmarkQuery(ServedBenchmark benchmark, string entityText, object entity, ServedPeerGroup group, QueryScope scope) =>
        (Benchmark, EntityText, Entity, Group, Scope) = (benchmark, entityText, entity, group, scope);

    public ServedBenchmark Benchmark { get; }

    public string EntityText { get; }

    public object Entity { get; }

    public ServedPeerGroup Group { get; }

    public QueryScope Scope { get; }

    public static BenchmarkQuery Read(ServedBenchmark benchmark, RequestParameters parameters, string? tenant, DateOnly today)
    {
        var text = parameters.Text("entity") ?? throw ApiProblem.BadParameter("entity", $"'entity' is required: the {benchmark.Entity.Name} to compare with its peers.");
        var entity = ColumnText.TryParse(benchmark.Entity, text)
            ?? throw ApiProblem.BadParameter("entity", $"'entity' must be {ColumnText.Expected(benchmark.Entity)}, as {benchmark.Entity.Name} is.");
        var groups = benchmark.PeerGroups.Keys.ToArray();
        var group = benchmark.PeerGroups[parameters.Choice("by", groups[0], groups)];
        if (tenant is not null && benchmark.ComparesTenants && ValueTextOf(entity) != ValueTextOf(ColumnText.TryParse(benchmark.Entity, tenant)))
        {
            throw ApiProblem.BadParameter("entity", $"a tenant's key benchmarks its own {benchmark.Entity.Name} only.");
        }

        var scope = DateRange.Read(parameters, tenant, today);
        parameters.RejectUnknown();
        return new BenchmarkQuery(benchmark, text, entity, group, scope);
    }

    /// <summary>The request in a canonical form.</summary>
    public string Key => $"benchmark&{Benchmark.Name}&{CacheKey.Escape(EntityText)}&{Group.Name}&{Scope.Key}";

    // A tenant key's peers are its tenant's rows, unless the benchmark compares tenants across
    // tenants; then other tenants' rows count, but reach the answer only as quartiles.
    private bool CrossTenant => Scope.Tenant is not null && Benchmark.Definition.Peers == PeerScope.CrossTenant;

    private string PeerScopeName => Scope.Tenant is null ? "all" : Benchmark.Definition.Peers.Name();

    public async Task<(BenchmarkResponse Response, double Milliseconds)> RunAsync(QueryRunner runner, CancellationToken cancellationToken)
    {
        var dialect = runner.Dialect;
        var parameters = new SqlParameters();
        var entity = parameters.Add(Entity);
        var dimension = dialect.Quote(Group.Relation.Table);
        var dimensionEntity = dialect.Quote(Group.Entity.Name);
        var groupColumn = dialect.Quote(Group.Column.Name);
        var metric = Benchmark.Metric;

        // The entity's own row of the peer group's relation: a tenant key finds only its tenant's
        // (a relation without the tenant column is shared by every tenant).
        var dimensionTenant = Group.Relation.Tenant is null ? null : Scope.Tenant;
        var own = $"{dimensionEntity} = {entity}";
        if (QueryScope.TenantCondition(dialect, Group.Relation.Tenant, dimensionTenant, parameters) is { } ownTenant)
        {
            own += $" and {ownTenant}";
        }

        var peersTenant = CrossTenant ? null : Scope.Tenant;
        var members = $"{groupColumn} = (select {groupColumn} from {dimension} where {own} limit 1)";
        if (!CrossTenant && QueryScope.TenantCondition(dialect, Group.Relation.Tenant, dimensionTenant, parameters) is { } memberTenant)
        {
            members += $" and {memberTenant}";
        }

        var conditions = new List<string>
        {
            Scope.TimeCondition(dialect, metric.Time, parameters),
            $"{dialect.Quote(Benchmark.Entity.Name)} in (select {dimensionEntity} from {dimension} where {members})",
        };
        if (QueryScope.TenantCondition(dialect, metric.Relation.Tenant, peersTenant, parameters) is { } tenant)
        {
            conditions.Add(tenant);
        }

        // One pass over the entities' values: the entity's own, and its peers' distribution (the
        // aggregates pass over the NULLs that stand for the entity among its peers).
        var peer = $"case when _sluice_entity <> {entity} then _sluice_value end";
        var sql = $"""
            select
                (select count(*) from {dimension} where {own}),
                (select {groupColumn} from {dimension} where {own} limit 1),
                max(case when _sluice_entity = {entity} then _sluice_value end),
                count({peer}), {string.Join(", ", dialect.Percentiles(peer, [0.25, 0.5, 0.75]))}
            from (
                select {dialect.Quote(Benchmark.Entity.Name)} as _sluice_entity, {MeasureSql.Value(metric.Definition.Measure, dialect)} as _sluice_value
                from {dialect.Quote(metric.Relation.Table)}
                where {string.Join(" and ", conditions)}
                group by {dialect.Quote(Benchmark.Entity.Name)}
            ) entity_values
            """;
        var ((known, group, value, peers), milliseconds) = await runner.RunAsync(sql, parameters.Values, async (reader, token) =>
        {
            await reader.ReadAsync(token);
            return (
                QueryRunner.Long(reader, 0) > 0,
                ApiValues.From(reader.GetValue(1)),
                QueryRunner.Double(reader, 2),
                new PeerStats(QueryRunner.Long(reader, 3), QueryRunner.Double(reader, 4), QueryRunner.Double(reader, 5), QueryRunner.Double(reader, 6), PeerScopeName, null));
        }, cancellationToken);

        if (!known)
        {
            throw ApiProblem.NotFound("entity", $"entity '{RequestParameters.Shown(EntityText)}' is not in {Group.Relation.Reference.DisplayName}, so it has no peer group '{Group.Name}'.");
        }

        peers = Withhold(peers);
        double? difference = value is { } v && peers.Median is { } median ? v - median : null;
        double? percent = difference is { } d && peers.Median is { } m && m != 0 ? d / Math.Abs(m) * 100 : null;
        var (from, to) = Scope.Text;
        return (new BenchmarkResponse(Benchmark.Name, metric.Name, ApiValues.From(Entity), Group.Name, group, from, to, value, peers, difference, percent), milliseconds);
    }

    // What a tenant key may not see of other tenants: any peer figure of a benchmark that keeps
    // peers within the tenant, and a cross-tenant distribution of fewer than min_peers tenants.
    private PeerStats Withhold(PeerStats peers)
    {
        if (Scope.Tenant is null)
        {
            return peers;
        }

        if (!CrossTenant && Benchmark.ComparesTenants)
        {
            return peers with
            {
                Withheld = $"the peers of a {Benchmark.Entity.Name} are other tenants, which benchmark '{Benchmark.Name}' does not show to a tenant's key; "
                    + $"`peers: cross_tenant` in metrics.yml shows their quartiles when at least {BenchmarkDefinition.LeastMinPeers} have a value.",
            };
        }

        var least = Benchmark.Definition.MinPeers;
        return CrossTenant && peers.Count < least
            ? new PeerStats(null, null, null, null, peers.Scope, $"fewer than {least} peers have a value in the range, so their figures are withheld (metrics.yml: min_peers).")
            : peers;
    }

    private static string? ValueTextOf(object? value) => value is null ? null : ValueText.Format(value);
}
