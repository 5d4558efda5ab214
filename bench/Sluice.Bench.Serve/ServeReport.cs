using System.Text;

namespace Sluice.Bench;

/// <summary>The serving benchmark's section of docs/benchmarks.md, with its own date and machine.</summary>
internal sealed record ServeReport(MachineInfo Machine, ServeBenchOptions Options, string? LoadAtEnd, ServeResult Result)
{
    public const string SectionName = "serve";

    private const double CachedGoal = 20_000;
    private static readonly TimeSpan CachedP99Goal = TimeSpan.FromMilliseconds(10);

    private static readonly Dictionary<string, TimeSpan> Goals = new(StringComparer.Ordinal)
    {
        ["trend"] = TimeSpan.FromMilliseconds(100),
        ["trend_rollup"] = TimeSpan.FromMilliseconds(100),
        ["cohorts"] = TimeSpan.FromMilliseconds(300),
        ["funnel"] = TimeSpan.FromMilliseconds(300),
    };

    public string Render()
    {
        var r = Result;
        var text = new StringBuilder();
        text.AppendLine("## Serve");
        text.AppendLine();
        text.AppendLine("The serving stage (`src/Sluice.Server`) on the embedded DuckDB: `sluice serve` as a child process, loaded with `wrk` (Debian) on the same machine, measured by `bench/Sluice.Bench.Serve`. Refresh with `bench/run serve`.");
        text.AppendLine();
        ReportHeader.Write(text, Machine, Options.Revision, $"DuckDB {Machine.DuckDb}, {Machine.DotNet}, {Machine.Build}", "bench/run serve", LoadAtEnd, Options.IsDefaultSize);
        text.AppendLine();
        text.AppendLine(
            $"`raw.events` has {Format.Count(r.Rows)} rows over a year (a score per company, program and second, in time order) and `raw.user_events` {Format.Count(r.Events)} events over 90 days; both are sources served through metrics.yml, created in {Format.Seconds(r.Create)}. " +
            $"The model `fct_events` copies `raw.events` into a table and declares a day rollup by program (`rollups: [{{grain: day, time: occurred_at, dimensions: [program], measures: [score]}}]`): built in {Format.Seconds(r.Build.Build)}, of which the rollup ({Format.Count(r.Build.RollupRows)} rows) takes {Format.Seconds(r.Build.Rollup)} when rebuilt alone. " +
            "Every request sends an admin API key with a daily budget, so authentication, the rate limiter and the durable budget count are on the measured path. " +
            $"Before the load, the served trends, cohorts and funnel were compared with the direct SQL below, and the server's log was watched for warnings throughout: {(r.Mismatches.Count == 0 ? "the counts matched and the server warned of nothing" : "**problems**: " + string.Join("; ", r.Mismatches))}.");
        text.AppendLine();
        text.AppendLine($"**Cached trend** (the last 90 days by day, answered from the in-process cache after the first request; {r.Cached.Connections} connections, {r.Cached.Seconds} s). **Limit**: `/health/live` on the same server with the same load — the same HTTP stack, middleware, key check and rate limiter, with no budget count (health is not counted), no query and no cache lookup. The ratio is trend over limit.");
        text.AppendLine();
        text.AppendLine("| Request | Requests/s | p50 | p99 | Max | Errors | Goal |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        text.AppendLine($"| cached trend | {r.Cached.RequestsPerSecond:N0} | {ServeBenchmark.Ms(r.Cached.P50)} | {ServeBenchmark.Ms(r.Cached.P99)} | {ServeBenchmark.Ms(r.Cached.Max)} | {r.Cached.Errors + r.Cached.BadStatus} | ≥ {CachedGoal:N0}/s, p99 < {CachedP99Goal.TotalMilliseconds:0} ms: {Format.Verdict(r.Cached.RequestsPerSecond >= CachedGoal && r.Cached.P99 < CachedP99Goal)} |");
        text.AppendLine($"| limit: /health/live | {r.Live.RequestsPerSecond:N0} | {ServeBenchmark.Ms(r.Live.P50)} | {ServeBenchmark.Ms(r.Live.P99)} | {ServeBenchmark.Ms(r.Live.Max)} | {r.Live.Errors + r.Live.BadStatus} | ratio {Format.Ratio(r.CachedRatio)} |");
        text.AppendLine();
        text.AppendLine($"**Uncached** (`serve.cache: false`, so every request queries DuckDB): latency at 1 connection, where the goals are judged, and at {r.Uncached[0].Several.Connections} connections (two per core, requests queue for the cores). **Limit**: the same aggregate written directly in SQL and run {r.Uncached[0].Limit.Runs.Count} times on the engine in one process, with no HTTP, parameters or JSON; the ratio is limit p95 over served p95.");
        text.AppendLine();
        text.AppendLine($"| Request | p50 | p95 | p99 | Requests/s | p95 at {r.Uncached[0].Several.Connections} | Requests/s at {r.Uncached[0].Several.Connections} | Limit p50 | Limit p95 | Ratio | Goal (p95) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var u in r.Uncached)
        {
            var goal = Goals[u.Name];
            text.AppendLine(
                $"| {Describe(u.Name, r)} | {ServeBenchmark.Ms(u.Single.P50)} | {ServeBenchmark.Ms(u.Single.P95)} | {ServeBenchmark.Ms(u.Single.P99)} | {u.Single.RequestsPerSecond:N1} " +
                $"| {ServeBenchmark.Ms(u.Several.P95)} | {u.Several.RequestsPerSecond:N1} | {ServeBenchmark.Ms(u.Limit.P50)} | {ServeBenchmark.Ms(u.Limit.P95)} | {Format.Ratio(u.Ratio)} " +
                $"| < {goal.TotalMilliseconds:0} ms: {Format.Verdict(u.Single.P95 < goal)} |");
        }

        text.AppendLine();
        text.AppendLine("Requests:");
        text.AppendLine();
        foreach (var u in r.Uncached)
        {
            text.AppendLine($"- {u.Name}: `GET {u.Path}`");
        }

        return text.ToString();
    }

    private static string Describe(string name, ServeResult r) => name switch
    {
        "trend" => $"trend, 90 days by day over {Format.Count(r.Rows)} rows",
        "trend_rollup" => $"the same trend of `fct_events`, answered from its day rollup",
        "cohorts" => "cohorts by program, with p25, median and p75",
        _ => $"3-step funnel over {Format.Count(r.Events)} events",
    };
}
