using System.Net;
using System.Text.Json;
using Sluice.Server.Access;
using Sluice.Testing;

namespace Sluice.Server.Tests;

/// <summary>The analytics project on a PostgreSQL server of its own, which tests restart and stop under a running API.</summary>
public sealed class RestartablePostgresProject : PreparedProject
{
    public PostgresServer Postgres { get; private set; } = null!;

    protected override async Task<string?> ProfilesAsync()
    {
        Postgres = await PostgresServer.StartPrivateAsync();
        return await Postgres.DbtProfilesAsync("analytics");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

/// <summary>
/// A PostgreSQL warehouse restarted or stopped under the server: reads on connections the restart
/// closed are retried on new ones, so the first answers after a restart are the data; while the
/// warehouse is down, every endpoint that needs it answers 503 as a problem with Retry-After,
/// never another 5xx; once it is back, everything answers 200 again.
/// </summary>
public sealed class WarehouseOutageTests(RestartablePostgresProject project) : IClassFixture<RestartablePostgresProject>
{
    private const string Range = "from=2025-01-01&to=2025-03-31";

    // A guard against a test that would otherwise hang, never a wait for something to happen.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private static readonly ServeSettings Settings = new()
    {
        HealthPerMinute = 1_000_000,
        ApiKeys = [.. AnalyticsData.Tenants.Select(t => PreparedProject.Key(t, t, new QueryBudget(1_000_000_000, null))), PreparedProject.Key("ops", null)],
    };

    // Every kind of warehouse read a request makes: budget claims (tenant keys), the data
    // version, rollup state, the queries of each endpoint, pipeline history and readiness.
    private static readonly (string Path, string? Key)[] Requests =
    [
        ($"/api/v1/metrics/outcome_score/trend?{Range}&group_by=program", "acme"),
        ($"/api/v1/metrics/assessments/trend?{Range}&granularity=month", "ops"),
        ($"/api/v1/metrics/outcome_score/cohorts?{Range}&by=program", "globex"),
        ($"/api/v1/funnels/program_journey?{Range}", "acme"),
        ($"/api/v1/benchmarks/outcome_vs_peers?{Range}&entity=acme&by=industry", "acme"),
        ("/api/v1/models/fct_appointments/rows?limit=50&order_by=-appointment_date", "globex"),
        ("/api/v1/meta/counts", "ops"),
        ("/api/v1/runs", "ops"),
        ("/api/v1/status", "ops"),
        ("/metrics", "ops"),
        ("/health/ready", null),
        ("/health/dependencies", "ops"),
    ];

    [Fact]
    public async Task The_first_request_after_the_warehouse_restarts_is_answered_on_a_new_connection()
    {
        await using var server = await project.StartAsync(Settings);
        using var clients = new Clients(server);

        // Requests at once leave several connections idle in the pool.
        await Task.WhenAll(Requests.Select(async r => Assert.Equal(HttpStatusCode.OK, (await clients.SendAsync(r.Path, r.Key, CancellationToken.None)).Status)));

        // A tenant that has not claimed any of its budget yet: its claim is the first read.
        (string, string?)[] firstReads = [($"/api/v1/metrics/assessments/trend?{Range}", "initech"), .. Requests];
        foreach (var (path, key) in firstReads)
        {
            await project.Postgres.RestartAsync();
            var answer = await clients.SendAsync(path, key, CancellationToken.None);
            Assert.True(answer.Status == HttpStatusCode.OK, $"GET {path} right after a restart: {(int)answer.Status} {answer.Body}");
        }
    }

    [Fact]
    public async Task Requests_answered_503_while_the_warehouse_is_down_do_not_spend_the_budget()
    {
        var budget = new QueryBudget(50, null);
        await using var server = await project.StartAsync(Settings with { ApiKeys = [PreparedProject.Key("umbrella", "umbrella", budget)] });
        using var client = PreparedProject.Client(server, "umbrella");
        var path = $"/api/v1/metrics/assessments/trend?{Range}&granularity=month";
        async Task<long> RemainingAsync(HttpStatusCode expected)
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == expected, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return long.Parse(response.Headers.GetValues("X-Budget-Daily-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(49, await RemainingAsync(HttpStatusCode.OK));
        await project.Postgres.StopAsync();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                await RemainingAsync(HttpStatusCode.ServiceUnavailable);
            }
        }
        finally
        {
            await project.Postgres.StartAgainAsync();
        }

        // The five 503s were given back: only the two answered requests count.
        Assert.Equal(48, await RemainingAsync(HttpStatusCode.OK));
    }

    [Fact]
    public async Task While_the_warehouse_restarts_or_is_down_answers_are_503_problems_and_then_200_again()
    {
        await using var server = await project.StartAsync(Settings);
        using var clients = new Clients(server);
        var outcomes = new Outcomes(Requests.Length);
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 3).Select(start => Task.Run(() => LoopAsync(clients, outcomes, start * 4, stop.Token))).ToList();
        try
        {
            await outcomes.WaitUntilEachAnswersAsync(HttpStatusCode.OK, "before the restart");
            await project.Postgres.RestartAsync();
            await outcomes.WaitUntilEachAnswersAsync(HttpStatusCode.OK, "after the restart");
            await project.Postgres.StopAsync();
            await outcomes.WaitUntilEachAnswersAsync(HttpStatusCode.ServiceUnavailable, "while the warehouse is stopped");
            await project.Postgres.StartAgainAsync();
            await outcomes.WaitUntilEachAnswersAsync(HttpStatusCode.OK, "after the warehouse started again");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(loops);
        }

        Assert.True(outcomes.Failures.IsEmpty, $"{outcomes.Failures.Count} bad answers ({outcomes.Summary}), such as:\n{string.Join("\n", outcomes.Failures.Take(10))}");
    }

    private static async Task LoopAsync(Clients clients, Outcomes outcomes, int start, CancellationToken cancellationToken)
    {
        for (var i = start; !cancellationToken.IsCancellationRequested; i++)
        {
            var index = i % Requests.Length;
            var (path, key) = Requests[index];
            try
            {
                var answer = await clients.SendAsync(path, key, cancellationToken);
                outcomes.Record(index, answer.Status, Check(path, answer));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A request that got no answer, or one that could not be read, is a bad answer too;
                // the loop goes on, so that the test reports it rather than waiting for nothing.
                outcomes.Failures.Enqueue($"GET {path}: no answer read ({e.GetType().Name}: {e.Message})");
            }
        }
    }

    // Null when the answer is one a client may get while the warehouse comes and goes.
    private static string? Check(string path, Answer answer)
    {
        if (answer.Status == HttpStatusCode.OK)
        {
            return null;
        }

        if (answer.Status != HttpStatusCode.ServiceUnavailable)
        {
            return $"GET {path}: {(int)answer.Status} {answer.Body}";
        }

        if (answer.MediaType != "application/problem+json")
        {
            return $"GET {path}: 503 as {answer.MediaType}: {answer.Body}";
        }

        if (answer.RetryAfter is null)
        {
            return $"GET {path}: 503 without Retry-After";
        }

        var problem = JsonDocument.Parse(answer.Body).RootElement;
        return problem.TryGetProperty("status", out var status) && status.GetInt32() == 503
            && problem.TryGetProperty("request_id", out var id) && !string.IsNullOrEmpty(id.GetString())
            && problem.TryGetProperty("detail", out var detail) && !string.IsNullOrEmpty(detail.GetString())
                ? null
                : $"GET {path}: 503 problem without status, detail or request id: {answer.Body}";
    }

    private sealed record Answer(HttpStatusCode Status, string? MediaType, TimeSpan? RetryAfter, string Body);

    /// <summary>A client per key (and one without), sharing their connections across the loops.</summary>
    private sealed class Clients(SluiceServer server) : IDisposable
    {
        private readonly Dictionary<string, HttpClient> _clients = Settings.ApiKeys.Select(k => k.Name).Append("")
            .ToDictionary(name => name, name => PreparedProject.Client(server, name.Length == 0 ? null : name));

        public async Task<Answer> SendAsync(string path, string? key, CancellationToken cancellationToken)
        {
            using var response = await _clients[key ?? ""].GetAsync(path, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter?.Delta, body);
        }

        public void Dispose()
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>What the loops have been answered, and a way to wait until each request has had a given answer.</summary>
    private sealed class Outcomes(int requests)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<HttpStatusCode, int> _statuses = [];
        private HttpStatusCode _awaited;
        private bool[] _answered = new bool[requests];
        private TaskCompletionSource _recorded = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentQueue<string> Failures { get; } = new();

        public string Summary
        {
            get
            {
                lock (_gate)
                {
                    return string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key}: {s.Value}"));
                }
            }
        }

        public void Record(int request, HttpStatusCode status, string? failure)
        {
            if (failure is not null)
            {
                Failures.Enqueue(failure);
            }

            TaskCompletionSource recorded;
            lock (_gate)
            {
                _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
                _answered[request] |= status == _awaited;
                recorded = _recorded;
                _recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            recorded.SetResult();
        }

        /// <summary>Returns once every request has been answered <paramref name="status"/> since the call; fails on a bad answer or at the deadline.</summary>
        public async Task WaitUntilEachAnswersAsync(HttpStatusCode status, string when)
        {
            lock (_gate)
            {
                (_awaited, _answered) = (status, new bool[_answered.Length]);
            }

            using var deadline = new CancellationTokenSource(Deadline);
            while (true)
            {
                Task recorded;
                lock (_gate)
                {
                    if (_answered.All(a => a))
                    {
                        return;
                    }

                    recorded = _recorded.Task;
                }

                Assert.True(Failures.IsEmpty, $"{when}: bad answers ({Summary}), such as:\n{string.Join("\n", Failures.Take(10))}");
                try
                {
                    await recorded.WaitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    string[] missing;
                    lock (_gate)
                    {
                        missing = [.. Requests.Where((_, i) => !_answered[i]).Select(r => r.Path)];
                    }

                    Assert.Fail($"{when}: within {Deadline} these never answered {(int)status}: {string.Join(", ", missing)} ({Summary})");
                }
            }
        }
    }
}
