using System.Net;
using Sluice.Server.Access;

namespace Sluice.Server.Tests;

/// <summary>
/// Budgets admit exactly their number of requests however many clients send at once, keep
/// their count in the warehouse across restarts, and refuse with 429, Retry-After and the
/// remaining budget.
/// </summary>
public abstract class BudgetTests(PreparedProject project)
{
    private const int Clients = 100;

    // More than any budget here admits: a budget that lets more through is broken, and the
    // clients stop instead of sending requests forever.
    private const int MostAdmitted = 2_000;

    // The servers' clock stands at noon of a fixed day, so a run that crosses midnight counts
    // and refuses as any other.
    private static readonly DateTimeOffset Noon = new(2026, 4, 14, 12, 0, 0, TimeSpan.Zero);

    private static DateOnly Today => DateOnly.FromDateTime(Noon.UtcDateTime);

    private static ServeSettings Settings(string tenant, QueryBudget budget) => new()
    {
        ApiKeys = [PreparedProject.Key(tenant, tenant, budget), PreparedProject.Key("ops", null)],
        Clock = new ManualClock(Noon),
    };

    [Fact]
    public async Task A_daily_budget_admits_exactly_its_number_under_100_parallel_clients_and_survives_a_restart()
    {
        const long Budget = 250;
        var settings = Settings("acme", new QueryBudget(Budget, null));
        long admitted;
        await using (var server = await project.StartAsync(settings))
        {
            (admitted, var refusals) = await HammerAsync(server, "acme");
            Assert.Equal(Budget, admitted);
            var refusal = refusals.First();
            Assert.Equal(HttpStatusCode.TooManyRequests, refusal.Status);
            Assert.InRange(refusal.RetryAfter!.Value, 1, 86_400);
            Assert.Equal("0", refusal.DailyRemaining);
            Assert.Contains("daily query budget of tenant 'acme'", refusal.Body, StringComparison.Ordinal);

            // An admin key without a budget is not counted, and other tenants have their own.
            using var admin = PreparedProject.Client(server, "ops");
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/metrics")).StatusCode);
        }

        Assert.Equal(Budget, await project.BudgetUsedAsync("tenant:acme", "daily", Today));

        await using (var server = await project.StartAsync(settings))
        {
            using var client = PreparedProject.Client(server, "acme");
            Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/v1/metrics")).StatusCode);
        }
    }

    [Fact]
    public async Task Unused_permits_return_when_the_server_stops_so_a_restart_admits_exactly_the_rest()
    {
        var settings = Settings("globex", new QueryBudget(120, null));
        await using (var server = await project.StartAsync(settings))
        {
            using var client = PreparedProject.Client(server, "globex");
            for (var i = 0; i < 35; i++)
            {
                using var response = await client.GetAsync("/api/v1/metrics");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal((120 - i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues(BudgetHeaders.Daily).Single());
            }
        }

        Assert.Equal(35, await project.BudgetUsedAsync("tenant:globex", "daily", Today));
        await using (var server = await project.StartAsync(settings))
        {
            var (admitted, _) = await HammerAsync(server, "globex");
            Assert.Equal(85, admitted);
        }

        Assert.Equal(120, await project.BudgetUsedAsync("tenant:globex", "daily", Today));
    }

    [Fact]
    public async Task A_monthly_budget_refuses_until_the_next_month()
    {
        await using var server = await project.StartAsync(Settings("initech", new QueryBudget(10_000, 40)));
        var (admitted, refusals) = await HammerAsync(server, "initech");
        Assert.Equal(40, admitted);
        var refusal = refusals.First();
        Assert.Equal("0", refusal.MonthlyRemaining);
        Assert.Contains("monthly query budget", refusal.Body, StringComparison.Ordinal);
        var nextMonth = new DateTimeOffset(Noon.Year, Noon.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        Assert.Equal((long)(nextMonth - Noon).TotalSeconds, refusal.RetryAfter);
    }

    // 100 clients send requests until each has been refused once; returns how many were admitted.
    // A budget that never refuses fails the test once more than MostAdmitted got through, and a
    // server that stops answering fails it after five minutes.
    protected static async Task<(long Admitted, List<Refusal> Refusals)> HammerAsync(SluiceServer server, string key)
    {
        long admitted = 0;
        var refusals = new System.Collections.Concurrent.ConcurrentBag<Refusal>();
        using var client = PreparedProject.Client(server, key);
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            while (Interlocked.Read(ref admitted) <= MostAdmitted)
            {
                using var response = await client.GetAsync("/api/v1/metrics", hangGuard.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref admitted);
                    continue;
                }

                refusals.Add(new Refusal(
                    response.StatusCode,
                    (long?)response.Headers.RetryAfter?.Delta?.TotalSeconds,
                    response.Headers.TryGetValues(BudgetHeaders.Daily, out var daily) ? daily.Single() : null,
                    response.Headers.TryGetValues(BudgetHeaders.Monthly, out var monthly) ? monthly.Single() : null,
                    await response.Content.ReadAsStringAsync(hangGuard.Token)));
                return;
            }
        }));
        Assert.True(admitted <= MostAdmitted, $"the budget admitted over {MostAdmitted} requests without refusing");
        Assert.Equal(Clients, refusals.Count);
        Assert.All(refusals, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.Status));
        return (admitted, [.. refusals]);
    }

    protected sealed record Refusal(HttpStatusCode Status, long? RetryAfter, string? DailyRemaining, string? MonthlyRemaining, string Body);
}

public sealed class DuckDbBudgetTests(DuckDbPreparedProject project) : BudgetTests(project), IClassFixture<DuckDbPreparedProject>;

public sealed class PostgresBudgetTests(PostgresPreparedProject project) : BudgetTests(project), IClassFixture<PostgresPreparedProject>
{
    [Fact]
    public async Task Two_servers_on_one_warehouse_together_admit_exactly_the_budget()
    {
        var settings = new ServeSettings { ApiKeys = [PreparedProject.Key("umbrella", "umbrella", new QueryBudget(333, null))] };
        await using var first = await project.StartAsync(settings);
        await using var second = await project.StartAsync(settings);
        var counts = await Task.WhenAll(new[] { first, second }.Select(server => HammerAsync(server, "umbrella")));
        Assert.Equal(333, counts.Sum(c => c.Admitted));
    }
}

/// <summary>The budget headers' names, as clients read them.</summary>
internal static class BudgetHeaders
{
    public const string Daily = "X-Budget-Daily-Remaining";
    public const string Monthly = "X-Budget-Monthly-Remaining";
}
