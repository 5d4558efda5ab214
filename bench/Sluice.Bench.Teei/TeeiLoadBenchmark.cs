using System.Net.Http.Headers;
using System.Text.Json;

namespace Sluice.Bench;

/// <summary>The cache's hits and misses as <c>/health/cache</c> reports them.</summary>
internal sealed record CacheReading(string Backend, long Hits, long Misses)
{
    public double? HitRate => Hits + Misses == 0 ? null : (double)Hits / (Hits + Misses);

    /// <summary>What happened between <paramref name="before"/> and this reading.</summary>
    public CacheReading Since(CacheReading before) => this with { Hits = Hits - before.Hits, Misses = Misses - before.Misses };
}

/// <summary>One engine's run: the data, the build, the mix's load, the cache before and after, and the floor.</summary>
internal sealed record TeeiEngineResult(
    string Engine, string Description, long Scores, long Enrollments, int Companies, TimeSpan Build,
    LoadResult Load, CacheReading Before, CacheReading After, LoadResult Floor, int DistinctPossible, IReadOnlyList<TeeiRequest> Examples, IReadOnlyList<string> Problems)
{
    public CacheReading During => After.Since(Before);
}

/// <summary>
/// Per engine: generates and builds the TEEI project, serves it with <c>sluice serve</c>, reads
/// <c>/health/cache</c>, runs the request mix with concurrent clients for the set time, reads
/// <c>/health/cache</c> again, then loads <c>/health/live</c> with the same clients as the floor
/// of what any request costs on this server, machine and concurrency.
/// </summary>
internal static class TeeiLoadBenchmark
{
    public static async Task<List<TeeiEngineResult>> RunAsync(string work, TeeiBenchOptions options)
    {
        var results = new List<TeeiEngineResult>();
        foreach (var engine in options.EnginesToRun)
        {
            await using var deployment = await TeeiDeployment.StartAsync(engine);
            Console.WriteLine();
            Console.WriteLine($"{deployment.Name}: {options.Days} day(s), {options.Companies} companies, {options.Clients} clients for {options.Seconds} s");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var project = await TeeiLoadProject.WriteAsync(Path.Combine(work, engine), options, deployment.Deploy);
            Console.WriteLine($"  generated {Format.Count(project.Scores)} outcome scores and {Format.Count(project.Enrollments)} enrollments of {project.Companies.Count} companies from {TeeiLoadProject.Day(project.First)} to {TeeiLoadProject.Day(project.Last)}: {Format.Seconds(clock.Elapsed)}");
            clock.Restart();
            await project.BuildAsync(options.Sluice!);
            var build = clock.Elapsed;
            var mix = new RequestMix(project, options.Seed);
            await using var server = await ServeProcess.StartAsync(options.Sluice!, project.Directory);
            var before = await ReadCacheAsync(server.Address);
            var load = await LoadDriver.RunAsync(server.Address, options.Clients, TimeSpan.FromSeconds(options.Seconds), (client, random) => mix.Next(random, project.TenantKeys[client % project.TenantKeys.Count]), options.Seed);
            var after = await ReadCacheAsync(server.Address);
            var floor = await LoadDriver.RunAsync(server.Address, options.Clients, FloorTime(options), (_, _) => new TeeiRequest("live", "/health/live", TeeiLoadProject.AdminKey), options.Seed);
            var problems = load.Endpoints.Concat(floor.Endpoints).Where(e => e.Errors > 0).Select(e => $"{e.Endpoint}: {Format.Count(e.Errors)} error(s), the first {e.FirstError}").ToList();
            problems.AddRange(server.Warnings.Select(w => $"the server warned: {w}"));
            var result = new TeeiEngineResult(deployment.Name, deployment.Description, project.Scores, project.Enrollments, project.Companies.Count, build, load, before, after, floor, mix.Distinct, [.. mix.Examples()], problems);
            Print(result);
            results.Add(result);
        }

        return results;
    }

    /// <summary>How long <c>/health/live</c> is loaded: a sixth of the mix's time, 3 s at the least.</summary>
    public static TimeSpan FloorTime(TeeiBenchOptions options) => TimeSpan.FromSeconds(Math.Max(3, options.Seconds / 6));

    private static void Print(TeeiEngineResult r)
    {
        foreach (var e in r.Load.Endpoints.OrderBy(e => e.Endpoint, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {e.Endpoint,-10} {Format.Count(e.Count),8} requests  p50 {Format.Milliseconds(e.P50),9}  p95 {Format.Milliseconds(e.P95),9}  p99 {Format.Milliseconds(e.P99),9}  errors {e.Errors}");
        }

        var live = r.Floor.Endpoints.Single();
        Console.WriteLine($"  floor /health/live: {r.Floor.RequestsPerSecond:N0} requests/s, p95 {Format.Milliseconds(live.P95)}");
        Console.WriteLine($"  {r.Load.RequestsPerSecond:N1} requests/s; cache hit rate during the run {Rate(r.During.HitRate)} (ceiling for the requests sent {Rate(r.Load.HitCeiling)})");
        foreach (var problem in r.Problems)
        {
            Console.WriteLine($"  problem: {problem}");
        }
    }

    public static string Rate(double? rate) => rate is { } r ? (r * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " %" : "—";

    private static async Task<CacheReading> ReadCacheAsync(Uri server)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/cache");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TeeiLoadProject.AdminKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET /health/cache answered {(int)response.StatusCode}: {text}");
        }

        var cache = JsonDocument.Parse(text).RootElement;
        static long Count(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetInt64() : 0;
        return cache.GetProperty("status").GetString() == "up"
            ? new CacheReading(cache.GetProperty("backend").GetString()!, Count(cache.GetProperty("hits")), Count(cache.GetProperty("misses")))
            : throw new InvalidOperationException($"GET /health/cache: the cache is not up: {text}");
    }
}
