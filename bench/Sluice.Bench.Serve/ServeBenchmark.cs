using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Models.Materialize;
using Sluice.Models.Run;
using Sluice.Warehouses;

namespace Sluice.Bench;

/// <summary>One query measured directly on the engine: the limit an uncached request is held to.</summary>
internal sealed record DirectTimes(string Name, IReadOnlyList<TimeSpan> Runs)
{
    public TimeSpan P50 => Samples.Percentile(Runs, 0.50);

    public TimeSpan P95 => Samples.Percentile(Runs, 0.95);
}

/// <summary>An uncached request under load at one and at several connections, with its limit.</summary>
internal sealed record UncachedResult(string Name, string Path, WrkResult Single, WrkResult Several, DirectTimes Limit)
{
    public double Ratio => Limit.P95 / Single.P95;
}

/// <summary>The rollup model's build: the whole build, and one rebuild of its rollup alone.</summary>
internal sealed record ModelBuildTimes(TimeSpan Build, TimeSpan Rollup, long RollupRows);

/// <summary>What the serving benchmark measured.</summary>
internal sealed record ServeResult(long Rows, long Events, TimeSpan Create, ModelBuildTimes Build, WrkResult Cached, WrkResult Live, IReadOnlyList<UncachedResult> Uncached, IReadOnlyList<string> Mismatches)
{
    public double CachedRatio => Cached.RequestsPerSecond / Live.RequestsPerSecond;
}

/// <summary>
/// Serves the project with <c>sluice serve</c> and loads it with wrk on the same machine:
/// the cached trend against the cheapest endpoint of the same server (<c>/health/live</c>), and
/// the uncached trends (from the rows and from a rollup), cohorts and funnel against the same
/// aggregates run directly on DuckDB.
/// The answers are compared with those direct aggregates first.
/// </summary>
internal static class ServeBenchmark
{
    private const int DirectRuns = 40;
    private const int SeveralConnections = 4;

    public static async Task<ServeResult> RunAsync(string directory, ServeBenchOptions options)
    {
        Wrk.Require();
        var project = new ServeProject(directory, options);
        await project.WriteAsync(cache: true);
        var parsed = ProjectParser.Parse(ProjectLoader.Load(directory, _ => null));

        var clock = Stopwatch.StartNew();
        var create = TimeSpan.Zero;
        ModelBuildTimes build;
        var limits = new Dictionary<string, DirectTimes>(StringComparer.Ordinal);
        var expected = new Dictionary<string, long[]>(StringComparer.Ordinal);
        await using (var warehouse = WarehouseFactory.Create(parsed.Project.Warehouse, directory))
        await using (var session = await warehouse.OpenSessionAsync())
        {
            await session.ExecuteAsync(project.CreateTables());
            create = clock.Elapsed;
            Console.WriteLine($"  created raw.events ({Format.Count(options.Rows)} rows) and raw.user_events ({Format.Count(options.Events)} rows) in {Format.Seconds(create)}");
            build = await BuildAsync(parsed, warehouse, session);
            Console.WriteLine($"  built fct_events in {Format.Seconds(build.Build)}; its day rollup ({Format.Count(build.RollupRows)} rows) rebuilds alone in {Format.Seconds(build.Rollup)}");
            foreach (var (name, sql) in ServeProject.LimitSql)
            {
                var runs = new List<TimeSpan>();
                for (var i = 0; i < DirectRuns + 2; i++)
                {
                    clock.Restart();
                    var counts = await ReadCountsAsync(session, sql, name);
                    if (i >= 2)
                    {
                        runs.Add(clock.Elapsed);
                    }

                    expected[name] = counts;
                }

                limits[name] = new DirectTimes(name, runs);
                Console.WriteLine($"  limit {name}: p50 {Ms(limits[name].P50)}, p95 {Ms(limits[name].P95)} over {DirectRuns} direct runs");
            }
        }

        var wrk = new Wrk(directory, ServeProject.Key);
        WrkResult cached, live;
        var mismatches = new List<string>();
        await using (var server = await ServeProcess.StartAsync(options.Sluice!, directory))
        {
            mismatches.AddRange(await VerifyAsync(server.Address, expected));
            await wrk.RunAsync(server.Address, ServeProject.TrendPath, options.Connections, 3);
            cached = await wrk.RunAsync(server.Address, ServeProject.TrendPath, options.Connections, options.Seconds);
            Console.WriteLine($"  cached trend: {cached.RequestsPerSecond:N0} requests/s, p99 {Ms(cached.P99)}");
            live = await wrk.RunAsync(server.Address, "/health/live", options.Connections, options.Seconds);
            Console.WriteLine($"  limit /health/live: {live.RequestsPerSecond:N0} requests/s, p99 {Ms(live.P99)}");
            mismatches.AddRange(Warned(server));
        }

        await project.WriteAsync(cache: false);
        var uncached = new List<UncachedResult>();
        await using (var server = await ServeProcess.StartAsync(options.Sluice!, directory))
        {
            foreach (var (name, path) in new[] { ("trend", ServeProject.TrendPath), ("trend_rollup", ServeProject.TrendRollupPath), ("cohorts", ServeProject.CohortsPath), ("funnel", ServeProject.FunnelPath) })
            {
                await wrk.RunAsync(server.Address, path, 1, 3);
                var single = await wrk.RunAsync(server.Address, path, 1, options.Seconds);
                var several = await wrk.RunAsync(server.Address, path, SeveralConnections, options.Seconds);
                uncached.Add(new UncachedResult(name, path, single, several, limits[name]));
                Console.WriteLine($"  uncached {name}: p95 {Ms(single.P95)} at 1 connection, {Ms(several.P95)} at {SeveralConnections}; limit p95 {Ms(limits[name].P95)}");
            }

            mismatches.AddRange(Warned(server));
        }

        return new ServeResult(options.Rows, options.Events, create, build, cached, live, uncached, mismatches);
    }

    // Builds fct_events (a table of every fact, with its day rollup), then times the rollup's
    // rebuild alone: what declaring it adds to each build.
    private static async Task<ModelBuildTimes> BuildAsync(ParsedProject parsed, Sluice.Core.Warehouse.IWarehouse warehouse, Sluice.Core.Warehouse.IWarehouseSession session)
    {
        var clock = Stopwatch.StartNew();
        var options = new RunOptions { From = ServeProject.LastDay, To = ServeProject.LastDay, Threads = 1 };
        var results = await new ModelRunner(parsed, warehouse).RunAsync(new HashSet<string> { "fct_events" }, options, new Sluice.Testing.SilentRun(), CancellationToken.None);
        if (results.FirstOrDefault(r => r.Status != Sluice.Models.State.JobStatus.Success) is { } failed)
        {
            throw new InvalidOperationException($"building fct_events failed: {failed.Error}");
        }

        var build = clock.Elapsed;
        clock.Restart();
        await using (var transaction = await session.BeginTransactionAsync())
        {
            await Rollups.RebuildAllAsync(session, parsed.Nodes["fct_events"], CancellationToken.None);
            await transaction.CommitAsync();
        }

        var rollup = clock.Elapsed;
        var rows = Convert.ToInt64(await session.ScalarAsync("select count(*) from main.fct_events__rollup_day"), System.Globalization.CultureInfo.InvariantCulture);
        return new ModelBuildTimes(build, rollup, rows);
    }

    // A warning from the server under load is as much a wrong answer as a count that differs.
    private static IEnumerable<string> Warned(ServeProcess server)
    {
        foreach (var line in server.Warnings)
        {
            Console.WriteLine($"  server warned: {line}");
        }

        return server.Warnings.Select(w => $"the server warned: {w}");
    }

    public static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " ms";

    // What each answer must agree on: rows per day of the trend, rows per cohort, entities per funnel step.
    private static async Task<long[]> ReadCountsAsync(Sluice.Core.Warehouse.IWarehouseSession session, string sql, string name)
    {
        var counts = new List<long>();
        await using var reader = await session.QueryAsync(sql);
        while (await reader.ReadAsync())
        {
            counts.AddRange(name == "funnel" ? Enumerable.Range(0, 3).Select(i => Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)) : [Convert.ToInt64(reader.GetValue(name.StartsWith("trend", StringComparison.Ordinal) ? 2 : 1), System.Globalization.CultureInfo.InvariantCulture)]);
        }

        return [.. counts];
    }

    private static async Task<IReadOnlyList<string>> VerifyAsync(Uri server, Dictionary<string, long[]> expected)
    {
        using var client = new HttpClient { BaseAddress = server };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServeProject.Key);
        async Task<JsonElement> GetAsync(string path) => JsonDocument.Parse(await client.GetStringAsync(path)).RootElement;

        var trend = await GetAsync(ServeProject.TrendPath + "&page_size=1000");
        var trendRollup = await GetAsync(ServeProject.TrendRollupPath + "&page_size=1000");
        var cohorts = await GetAsync(ServeProject.CohortsPath);
        var funnel = await GetAsync(ServeProject.FunnelPath);
        var answered = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["trend"] = [.. trend.GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("count").GetInt64())],
            ["trend_rollup"] = trendRollup.GetProperty("rollup").GetString() == "day" ? [.. trendRollup.GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("count").GetInt64())] : [],
            ["cohorts"] = [.. cohorts.GetProperty("cohorts").EnumerateArray().Select(c => c.GetProperty("count").GetInt64())],
            ["funnel"] = [.. funnel.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("entities").GetInt64())],
        };
        return [.. expected.Where(e => !e.Value.SequenceEqual(answered[e.Key])).Select(e => $"{e.Key}: served [{string.Join(", ", answered[e.Key])}], direct SQL [{string.Join(", ", e.Value)}]")];
    }
}
