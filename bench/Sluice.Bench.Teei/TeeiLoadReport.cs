using System.Text;

namespace Sluice.Bench;

/// <summary>The TEEI load benchmark's section of docs/benchmarks.md, with its own date and machine.</summary>
internal sealed record TeeiLoadReport(MachineInfo Machine, TeeiBenchOptions Options, string? LoadAtEnd, IReadOnlyList<TeeiEngineResult> Results)
{
    public const string SectionName = "teei";

    /// <summary>The seed's promises: p95 per endpoint; benchmarks have none.</summary>
    private static readonly Dictionary<string, TimeSpan> P95Goals = new(StringComparer.Ordinal)
    {
        ["trends"] = TimeSpan.FromMilliseconds(200),
        ["cohorts"] = TimeSpan.FromMilliseconds(500),
        ["funnels"] = TimeSpan.FromMilliseconds(300),
    };

    private const double HitRateGoal = 0.70;

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("## TEEI load");
        text.AppendLine();
        text.AppendLine("The TEEI example (`examples/teei`) served by `sluice serve` under the seed's request mix, against the seed's promises (cache hit rate > 70 %; p95 of trends < 200 ms, cohorts < 500 ms, funnels < 300 ms), measured by `bench/Sluice.Bench.Teei`. Refresh with `bench/run teei` (`--engine duckdb` or `clickhouse` for one engine).");
        text.AppendLine();
        ReportHeader.Write(text, Machine, Options.Revision, $"DuckDB {Machine.DuckDb}; ClickHouse and Redis from the installed Debian packages (throwaway servers); {Machine.DotNet}, {Machine.Build}", "bench/run teei", LoadAtEnd, Options.IsDefaultSize);
        text.AppendLine($"- Clients: {Options.Clients} concurrent clients for {Options.Seconds} s per engine, then `/health/live` with the same clients for {TeeiLoadBenchmark.FloorTime(Options).TotalSeconds:0} s; clients and server on the same machine");
        text.AppendLine();
        if (Results.Count > 0)
        {
            var first = Results[0];
            text.AppendLine(
                $"Data: `sluice demo teei`'s generator (seed {Options.Seed}) over {Options.Days} days to yesterday with {Options.Companies} companies at the demo's users per company: {Format.Count(first.Scores)} outcome scores and {Format.Count(first.Enrollments)} enrollments of {first.Companies} companies with scores, written as the demo's CSV files, then `sluice sync` and `sluice build` of every day. " +
                $"The benchmark's copy of the project adds API keys (an admin and eight companies, those with the most scores) and raises every limit that would refuse a request of the run: {TeeiLoadProject.RaisedLimits}. Budgets are still counted on every request. It also drops the schedules and alerts.yml, whose jobs would rebuild data, and so change the cache's data version, during a measurement.");
            text.AppendLine();
        }

        text.AppendLine(
            $"The mix (the seed gives no proportions; these are the benchmark's choice): {string.Join(", ", RequestMix.Shares.Select(s => $"{s.Endpoint} {s.Share * 100:0} %"))}. " +
            "Each client is one company's dashboard (client *i* holds tenant key *i* mod 8) and draws from finite sets, as dashboards repeat queries: trends of one of the five dimensions by day, week or month, page 1 or (by day over more than 50 days) a quarter of the time page 2, 50 periods a page; the funnel for all programs or one of four; the company's benchmark by industry, region or size; and, with the admin key, cohorts of one of six fixed lists of 2 to 10 companies. Each over the last 30 days, the last 90 or all days. " +
            $"That is {(Results.Count > 0 ? Format.Count(Results[0].DistinctPossible) : "—")} different requests in all; each client's draws come from a random generator seeded with the run's seed and the client's number.");
        text.AppendLine();
        foreach (var r in Results)
        {
            text.AppendLine($"**{r.Engine}** — {r.Description}. Built in {Format.Seconds(r.Build)}. " +
                (r.Problems.Count == 0 ? "Every request was answered 200 and the server warned of nothing." : "**Problems** (the run failed): " + string.Join("; ", r.Problems)));
            text.AppendLine();
        }

        text.AppendLine("| Engine | Endpoint | Requests | p50 | p95 | p99 | Errors | Cache hits (meta) | Ratio floor p95 / p95 | Goal |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in Results)
        {
            var floor = r.Floor.Endpoints.Single();
            foreach (var (endpoint, _) in RequestMix.Shares)
            {
                var e = r.Load.Endpoints.FirstOrDefault(x => x.Endpoint == endpoint);
                if (e is null)
                {
                    text.AppendLine($"| {r.Engine} | {endpoint} | 0 | — | — | — | — | — | — | not measured |");
                    continue;
                }

                var goal = P95Goals.TryGetValue(endpoint, out var limit)
                    ? $"p95 < {limit.TotalMilliseconds:0} ms: {Format.Verdict(e.Errors == 0 && e.P95 < limit)}"
                    : "report only (the seed names none)";
                var hits = e.Latencies.Count == 0 ? "—" : TeeiLoadBenchmark.Rate((double)e.Hits / e.Latencies.Count);
                var ratio = e.P95 > TimeSpan.Zero ? Format.Ratio(floor.P95 / e.P95) : "—";
                text.AppendLine($"| {r.Engine} | {endpoint} | {Format.Count(e.Count)} | {Format.Milliseconds(e.P50)} | {Format.Milliseconds(e.P95)} | {Format.Milliseconds(e.P99)} | {Format.Count(e.Errors)} | {hits} | {ratio} | {goal} |");
            }

            text.AppendLine($"| {r.Engine} | floor: /health/live | {Format.Count(floor.Count)} | {Format.Milliseconds(floor.P50)} | {Format.Milliseconds(floor.P95)} | {Format.Milliseconds(floor.P99)} | {Format.Count(floor.Errors)} | — | 1.00x | limit |");
        }

        text.AppendLine();
        text.AppendLine("| Engine | Requests/s (mix) | Floor requests/s (/health/live) | Ratio mix / floor | Cache | Before (hits / misses) | After | Hit rate during the run | Ceiling for the requests sent | Ratio rate / ceiling | Goal (hit rate > 70 %) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in Results)
        {
            var during = r.During.HitRate;
            text.AppendLine(
                $"| {r.Engine} | {r.Load.RequestsPerSecond:N1} | {r.Floor.RequestsPerSecond:N1} | {Format.Ratio(r.Load.RequestsPerSecond / r.Floor.RequestsPerSecond)} " +
                $"| {r.After.Backend} | {Format.Count(r.Before.Hits)} / {Format.Count(r.Before.Misses)} | {Format.Count(r.After.Hits)} / {Format.Count(r.After.Misses)} " +
                $"| {TeeiLoadBenchmark.Rate(during)} | {TeeiLoadBenchmark.Rate(r.Load.HitCeiling)} | {(during is { } d && r.Load.HitCeiling > 0 ? Format.Ratio(d / r.Load.HitCeiling) : "—")} " +
                $"| {Format.Verdict(during > HitRateGoal)} |");
        }

        text.AppendLine();
        text.AppendLine("Requests (examples of each endpoint, with a tenant's key except cohorts):");
        text.AppendLine();
        if (Results.Count > 0)
        {
            foreach (var example in Examples)
            {
                text.AppendLine($"- {example.Endpoint}: `GET {example.Path}`");
            }
        }

        text.AppendLine();
        text.AppendLine("### Reading the TEEI load figures");
        text.AppendLine();
        text.AppendLine("- **p50, p95, p99**: from sending a request to having read its whole answer, over every answered request of the endpoint during the run, hits and misses together, as the seed's users would see them. Clients send their next request as soon as the last is answered, so latency includes the wait for the server's cores; the clients share the machine's cores with the server (and, for ClickHouse, with ClickHouse and Redis).");
        text.AppendLine("- **Floor**: `/health/live` on the same server with the same clients, right after the mix: the same HTTP stack, middleware, key check and rate limiter, with no budget count (health is not counted), no query and no cache lookup. **Ratio floor p95 / p95**: 1.00x means the endpoint costs no more than answering at all; 0.10x means a tenth of its p95 is the floor.");
        text.AppendLine("- **Cache hits (meta)**: the share of the endpoint's answers whose `meta.cache` was `hit`. **Hit rate during the run**: hits over hits and misses, from `/health/cache` read before and after the mix (Before and After are the server's counts since it started; the difference is the run's). It is judged against the seed's > 70 %.");
        text.AppendLine("- **Ceiling for the requests sent**: 1 − different requests sent / requests sent, the best any cache could do for this run's requests (every request but the first of its kind a hit). The hit rate is mostly a property of the mix — how many different requests dashboards send and how often they repeat — so the ratio to the ceiling is what says how well the cache does; a cache with the seed's TTLs (an hour or more, longer than the run) should be close to 1.00x, less by requests that miss together while the first is computed.");
        text.AppendLine("- **Goal**: the seed's targets; a FAIL is a finding to report. Errors (a non-200 answer or a failed request) and server warnings are failures: the run exits 1 and says which above the table.");
        text.AppendLine("- Figures from a non-default size or a shorter run, or from a machine that was busy (see Load above), are a smoke test of the benchmark, not of Sluice.");
        return text.ToString();
    }

    /// <summary>Examples of the mix's requests, set by Program from the first engine's project.</summary>
    public IReadOnlyList<TeeiRequest> Examples { get; init; } = [];
}
