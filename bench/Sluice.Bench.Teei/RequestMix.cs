using Sluice.Demo.Teei;

namespace Sluice.Bench;

/// <summary>One request of the mix: which of the seed's endpoints, the path with its query, and the key it is sent with.</summary>
internal sealed record TeeiRequest(string Endpoint, string Path, string Key)
{
    /// <summary>What the server's cache tells requests apart by: the caller's key (its tenant) and the request.</summary>
    public string CacheKey => Key + " " + Path;
}

/// <summary>
/// The seed's four endpoints in the proportions of <see cref="Shares"/>, with parameters drawn
/// from finite sets as dashboards repeat them: a company's dashboard (its tenant key) asks
/// trends of one of the five dimensions by day, week or month, the first page or (by day over
/// more than 50 days) the second; its funnel, for all programs or one; its benchmark by
/// industry, region or size; an operator (the admin key) compares one of six fixed lists of 2 to
/// 10 companies. Each over the last 30 days, the last 90 or every generated day. The draws come
/// from a random generator seeded per client, so a run repeats its sequence of requests.
/// </summary>
internal sealed class RequestMix
{
    private const int PageSize = 50;
    private const int CohortLists = 6;

    /// <summary>
    /// The seed gives no proportions; these are the benchmark's: trends are half, the endpoint
    /// with the most ways to ask (five dimensions, three granularities, pages) and the seed's
    /// tightest target; the funnel a fifth, refreshed as often as trends (its TTL is an hour too);
    /// cohorts and benchmarks, cached six hours by the seed as the slower-moving comparisons,
    /// 15 % each.
    /// </summary>
    public static IReadOnlyList<(string Endpoint, double Share)> Shares { get; } =
        [("trends", 0.50), ("funnels", 0.20), ("cohorts", 0.15), ("benchmarks", 0.15)];

    private static readonly string[] Granularities = ["day", "week", "month"];
    private static readonly string[] PeerGroups = ["industry", "region", "size"];
    private static readonly string?[] Programs = [null, .. TeeiVocabulary.Programs.Select(p => p.Name)];

    private readonly TeeiLoadProject _project;
    private readonly (int Days, string Range)[] _windows;
    private readonly List<string> _cohorts = [];

    public RequestMix(TeeiLoadProject project, int seed)
    {
        _project = project;
        var days = project.Last.DayNumber - project.First.DayNumber + 1;
        _windows = [.. new[] { 30, 90, days }.Where(d => d <= days).Distinct()
            .Select(d => (d, $"from={TeeiLoadProject.Day(project.Last.AddDays(1 - d))}&to={TeeiLoadProject.Day(project.Last)}"))];
        var random = new Random(seed);
        for (var i = 0; i < CohortLists; i++)
        {
            var size = random.Next(2, Math.Min(10, project.Companies.Count) + 1);
            _cohorts.Add(string.Join(",", project.Companies.OrderBy(_ => random.Next()).Take(size).Select(c => c.Id).Order()));
        }
    }

    /// <summary>How many different requests the mix can send: the most a cache must compute.</summary>
    public int Distinct => (_project.TenantKeys.Count * (TrendVariants + (Programs.Length * _windows.Length) + (PeerGroups.Length * _windows.Length))) + (CohortLists * _windows.Length);

    private int TrendVariants => (TeeiVocabulary.Dimensions.Count * Granularities.Length * _windows.Length) + (TeeiVocabulary.Dimensions.Count * _windows.Count(w => w.Days > PageSize));

    /// <summary>The next request of a client that is <paramref name="tenant"/>'s dashboard.</summary>
    public TeeiRequest Next(Random random, TenantKey tenant)
    {
        var (days, range) = _windows[random.Next(_windows.Length)];
        var pick = random.NextDouble();
        var endpoint = Shares.First(s => (pick -= s.Share) < 0 || s == Shares[^1]).Endpoint;
        switch (endpoint)
        {
            case "trends":
                var granularity = Granularities[random.Next(Granularities.Length)];
                var page = granularity == "day" && days > PageSize && random.NextDouble() < 0.25 ? 2 : 1;
                var dimension = TeeiVocabulary.Dimensions[random.Next(TeeiVocabulary.Dimensions.Count)];
                return new(endpoint, $"/api/v1/metrics/outcome_score/trend?granularity={granularity}&filter[dimension]={dimension}&{range}&page={page}&page_size={PageSize}", tenant.Key);
            case "funnels":
                var program = Programs[random.Next(Programs.Length)];
                return new(endpoint, $"/api/v1/funnels/program_journey?{range}{(program is null ? string.Empty : $"&filter[program]={program}")}", tenant.Key);
            case "cohorts":
                return new(endpoint, $"/api/v1/metrics/outcome_score/cohorts?by=company_id&cohorts={_cohorts[random.Next(_cohorts.Count)]}&{range}", TeeiLoadProject.AdminKey);
            default:
                return new(endpoint, $"/api/v1/benchmarks/outcome_vs_peers?entity={tenant.Company}&by={PeerGroups[random.Next(PeerGroups.Length)]}&{range}", tenant.Key);
        }
    }

    /// <summary>An example of each endpoint's requests, for the report.</summary>
    public IEnumerable<TeeiRequest> Examples()
    {
        var random = new Random(0);
        var seen = new Dictionary<string, TeeiRequest>(StringComparer.Ordinal);
        while (seen.Count < Shares.Count)
        {
            var request = Next(random, _project.TenantKeys[0]);
            seen.TryAdd(request.Endpoint, request);
        }

        return Shares.Select(s => seen[s.Endpoint]);
    }
}
