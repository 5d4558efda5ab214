using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.Bench.Chaos;

/// <summary>
/// The servers Sluice depends on go away at bad moments: the product's database restarts during
/// a sync; the warehouse restarts (or, on DuckDB, the serving process is killed and started
/// again) while requests keep coming.
/// </summary>
public static class RestartChaos
{
    private static readonly string[] Paths =
    [
        "/health/ready",
        "/api/v1/metrics/email_volume/trend?granularity=week",
        "/api/v1/metrics/average_risk/trend?group_by=category",
        "/api/v1/metrics/average_risk/cohorts?by=category",
        "/api/v1/models/mrt_risk_daily/rows?limit=50",
        "/api/v1/meta/counts",
        "/api/v1/runs?limit=5",
        "/api/v1/status",
    ];

    /// <summary>Restarts the source during syncs; each sync must fail cleanly or finish, and the next must converge.</summary>
    public static async Task SourceAsync(PipelineWorld world, int restarts, Random random, ChaosTally tally, Action<string> log)
    {
        await world.AdvanceAsync();
        var duration = (await world.MustAsync(world.ProjectDirectory, ["sync"])).Elapsed;
        for (var round = 0; round < restarts; round++)
        {
            await world.AdvanceAsync();
            var sync = world.Cli.RunAsync(world.ProjectDirectory, ["sync"]);
            var at = TimeSpan.FromSeconds(random.NextDouble() * duration.TotalSeconds);
            await Task.WhenAny(sync, Task.Delay(at));
            await world.SourceServer.KillAsync();
            await world.SourceServer.StartAgainAsync();
            world.Source.Clear();
            var interrupted = await sync;
            var problems = interrupted.ExitCode is 0 or 1 ? [] : new List<string> { $"a sync cut off from its source exited {interrupted.ExitCode}: {OutputChecks.Shorten(interrupted.FirstError)}" };
            problems.AddRange(OutputChecks.Problems(interrupted.Output, world.Secrets));
            var rerun = await world.Cli.RunAsync(world.ProjectDirectory, ["sync"]);
            if (rerun.ExitCode != 0)
            {
                problems.Add($"the sync after the restart exited {rerun.ExitCode}: {OutputChecks.Shorten(rerun.FirstError)}");
            }

            problems.AddRange(await Invariants.RawAsync(world));
            tally.Add(problems, $"restart {round + 1} at {at.TotalSeconds:0.00} s (the sync exited {interrupted.ExitCode})");
        }

        log($"  {restarts} source restarts during syncs, {tally.Failed} failed");
    }

    /// <summary>
    /// Restarts the PostgreSQL warehouse under a request loop: every answer while it is away is a
    /// 503 problem with Retry-After, none is another 5xx, and answers come back when it does.
    /// </summary>
    public static async Task WarehouseAsync(PipelineWorld world, int restarts, ChaosTally tally, Action<string> log)
    {
        var warehouse = world.WarehouseServer ?? throw new InvalidOperationException("Only a PostgreSQL warehouse restarts.");
        await using var api = await ServedApi.StartAsync(world.Cli, world.ProjectDirectory);
        using var client = new HttpClient { BaseAddress = api.Address, Timeout = TimeSpan.FromSeconds(30) };
        var window = new RequestWindow();
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 2).Select(i => LoopAsync(client, world, window, i, stop.Token)).ToList();
        try
        {
            for (var round = 0; round < restarts; round++)
            {
                window.Reset();
                await warehouse.KillAsync();

                // Requests meet the warehouse away before it comes back.
                await Until(() => window.Answered >= 10, TimeSpan.FromMinutes(1));
                await warehouse.StartAgainAsync();
                var recovered = await Until(() => window.OkSinceMark() >= 4, TimeSpan.FromMinutes(1), window.Mark);
                var problems = window.Problems();
                if (!recovered)
                {
                    problems.Add("no answer came back within a minute of the warehouse's return");
                }

                tally.Add(problems, $"restart {round + 1} ({window.Summary})");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(loops);
        }

        log($"  {restarts} warehouse restarts under load, {tally.Failed} failed");
    }

    /// <summary>Kills the server on a DuckDB file under a request loop and starts it again: it starts, and answers as before.</summary>
    public static async Task ServerAsync(PipelineWorld world, int restarts, ChaosTally tally, Action<string> log)
    {
        for (var round = 0; round < restarts; round++)
        {
            var problems = new List<string>();
            string before;
            await using (var api = await ServedApi.StartAsync(world.Cli, world.ProjectDirectory))
            {
                using var client = new HttpClient { BaseAddress = api.Address, Timeout = TimeSpan.FromSeconds(30) };
                before = await AnswersAsync(client);
                var window = new RequestWindow();
                using var stop = new CancellationTokenSource();
                var loop = LoopAsync(client, world, window, round, stop.Token);
                await Until(() => window.Answered >= 20 + round * 7, TimeSpan.FromMinutes(1));
                await api.KillAsync();
                await stop.CancelAsync();
                await loop;
                problems.AddRange(window.Problems());
            }

            await using (var again = await ServedApi.StartAsync(world.Cli, world.ProjectDirectory))
            {
                using var client = new HttpClient { BaseAddress = again.Address, Timeout = TimeSpan.FromSeconds(30) };
                var after = await AnswersAsync(client);
                if (after != before)
                {
                    problems.Add($"answers changed across the restart: {OutputChecks.Shorten(after)}");
                }
            }

            tally.Add(problems, $"server kill {round + 1}");
        }

        log($"  {restarts} server kills under load, {tally.Failed} failed");
    }

    private static async Task LoopAsync(HttpClient client, PipelineWorld world, RequestWindow window, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        while (!cancellationToken.IsCancellationRequested)
        {
            var path = Paths[random.Next(Paths.Length)];
            try
            {
                using var response = await client.GetAsync(path, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                window.Add(path, response, body, world.Secrets);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // The server itself is gone (killed): nothing answered, nothing to judge.
                await Task.Delay(20, CancellationToken.None);
            }
        }
    }

    // Every request's answer, without what may change between identical answers.
    private static async Task<string> AnswersAsync(HttpClient client)
    {
        var answers = new List<string>();
        foreach (var path in Paths.Where(p => p.StartsWith("/api/v1/metrics", StringComparison.Ordinal) || p.StartsWith("/api/v1/models", StringComparison.Ordinal)))
        {
            using var response = await client.GetAsync(path);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            (json as JsonObject)?.Remove("meta");
            answers.Add($"{(int)response.StatusCode} {json?.ToJsonString()}");
        }

        return string.Join('\n', answers);
    }

    private static async Task<bool> Until(Func<bool> condition, TimeSpan limit, Action? start = null)
    {
        start?.Invoke();
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>The answers of a request loop since the last reset: how many, how many fine, and what was wrong.</summary>
    private sealed class RequestWindow
    {
        private readonly List<string> _problems = [];
        private readonly Dictionary<int, int> _statuses = [];
        private int _answered;
        private int _ok;
        private int _okAtMark;

        public int Answered => Volatile.Read(ref _answered);

        public string Summary
        {
            get
            {
                lock (_problems)
                {
                    return string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Value}× {s.Key}"));
                }
            }
        }

        public void Reset()
        {
            lock (_problems)
            {
                _problems.Clear();
                _statuses.Clear();
                _answered = 0;
            }
        }

        public void Mark() => Volatile.Write(ref _okAtMark, Volatile.Read(ref _ok));

        public int OkSinceMark() => Volatile.Read(ref _ok) - Volatile.Read(ref _okAtMark);

        public List<string> Problems()
        {
            lock (_problems)
            {
                return [.. _problems.Distinct().Take(5)];
            }
        }

        public void Add(string path, HttpResponseMessage response, string body, IEnumerable<string> secrets)
        {
            var status = (int)response.StatusCode;
            var problems = OutputChecks.Problems(body, secrets);
            if (status >= 500 && status != 503)
            {
                problems.Add($"{status} {OutputChecks.Shorten(body)}");
            }
            else if (status == 503 && response.Headers.RetryAfter is null)
            {
                problems.Add("503 without Retry-After");
            }

            if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                problems.Add($"{status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}");
            }

            lock (_problems)
            {
                _answered++;
                _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
                _problems.AddRange(problems.Select(p => $"GET {path}: {p}"));
            }

            if (status == (int)HttpStatusCode.OK)
            {
                Interlocked.Increment(ref _ok);
            }
        }
    }
}
