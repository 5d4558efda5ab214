using System.Net;
using System.Text;
using System.Text.Json;
using Sluice.Server.Http;

namespace Sluice.Server.Tests;

/// <summary>
/// An answer lives in the cache for its endpoint's time to live, on the server's clock: within
/// it, the cached answer is served even though the rows have changed (without a sync or build,
/// so the data version stays); past it, the answer is computed again from the rows. On
/// PostgreSQL, whose tables the test changes beside the running server.
/// </summary>
public sealed class CacheExpiryTests(PostgresPreparedProject project) : IClassFixture<PostgresPreparedProject>
{
    private const string AmesRows = "/api/v1/models/fct_appointments/rows?doctor_name=Dr%20Ames&limit=1";
    private const string Trend = "/api/v1/metrics/visit_fee/trend?from=2025-01-01&to=2025-03-31&granularity=total";

    [Fact]
    public async Task An_answer_is_served_from_the_cache_within_its_endpoints_ttl_and_computed_again_after_it()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
        var cache = new CacheSettings { Ttl = new Dictionary<string, TimeSpan>(new CacheSettings().Ttl, StringComparer.Ordinal) { ["rows"] = TimeSpan.FromMinutes(10) } };
        await using var server = await project.StartAsync(new ServeSettings { Clock = clock, Cache = cache });
        using var client = PreparedProject.Client(server, null);
        var ames = AnalyticsData.Appointments.Count(a => a.DoctorName == "Dr Ames");
        var visits = AnalyticsData.Appointments.Count(a => a.AppointmentDate <= new DateOnly(2025, 3, 31));

        Assert.Equal(("miss", ames), Rows(await GetAsync(client, AmesRows)));
        Assert.Equal(("miss", visits), Periods(await GetAsync(client, Trend)));

        // Three more of Dr Ames's visits, written straight into the raw table: no sync or build
        // records them, so the data version, and with it every cached answer, stays.
        await project.WithSessionAsync(session => session.ExecuteAsync(
            "insert into raw.appointments (id, company_id, patient_id, appointment_status, doctor_name, appointment_date, fee, note) "
            + "select 90000 + i, 'acme', 'p01', 'completed', 'Dr Ames', date '2025-02-01', 50, 'late' from generate_series(1, 3) as i"));

        clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(("hit", ames), Rows(await GetAsync(client, AmesRows)));

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(("miss", ames + 3), Rows(await GetAsync(client, AmesRows)));

        // The trend's own time to live (an hour) has not passed: it still holds the old rows.
        Assert.Equal(("hit", visits), Periods(await GetAsync(client, Trend)));

        // The recomputed answer lives its ten minutes from when it was computed.
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(("hit", ames + 3), Rows(await GetAsync(client, AmesRows)));

        clock.Advance(TimeSpan.FromMinutes(51));
        Assert.Equal(("miss", visits + 3), Periods(await GetAsync(client, Trend)));
    }

    private static (string?, int) Rows(JsonElement body) =>
        (body.GetProperty("meta").GetProperty("cache").GetString(), (int)body.GetProperty("total").GetInt64());

    private static (string?, int) Periods(JsonElement body) =>
        (body.GetProperty("meta").GetProperty("cache").GetString(), (int)Assert.Single(body.GetProperty("periods").EnumerateArray()).GetProperty("count").GetInt64());

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}

/// <summary>
/// The cache holds at most its byte limit: an answer that takes it past the limit evicts the
/// entries nearest their expiry, whatever their size, until three quarters of the limit are
/// used. Sizes are measured from the answers the client received, on a first server; the second
/// has a limit just large enough for the first four answers.
/// </summary>
public sealed class CacheSizeLimitTests(DuckDbPreparedProject project) : IClassFixture<DuckDbPreparedProject>
{
    private static readonly byte[] MetaMember = Encoding.UTF8.GetBytes(",\"meta\":");

    // One row each, but the second: four rows, about four times the size.
    private static readonly string[] Pages = [.. new[] { 1, 4, 1, 1, 1 }.Select((rows, i) => $"/api/v1/models/fct_appointments/rows?order_by=id&limit={rows}&offset={10 * i}")];

    [Fact]
    public async Task Answers_past_the_byte_limit_evict_those_nearest_expiry_down_to_three_quarters_of_it()
    {
        var sizes = new long[Pages.Length];
        await using (var measuring = await project.StartAsync(new ServeSettings()))
        {
            using var client = PreparedProject.Client(measuring, null);
            for (var i = 0; i < Pages.Length; i++)
            {
                sizes[i] = CachedSize((await GetAsync(client, Pages[i])).Raw);
            }
        }

        var limit = sizes[..4].Sum();
        var clock = new ManualClock(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
        await using var server = await project.StartAsync(new ServeSettings { Clock = clock, Cache = new CacheSettings { MaxBytes = limit } });
        using var api = PreparedProject.Client(server, null);

        // Cached a minute apart, so that each expires a minute after the one before.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("miss", (await GetAsync(api, Pages[i])).Cache);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        await AssertCachedAsync(api, Pages[..4]);
        Assert.Equal((4, limit), await StatsAsync(api));

        // The fifth takes the cache past its limit. Evicting the first (nearest expiry) leaves
        // more than 3/4 of the limit, so the second, the largest, goes too; the rest stay.
        Assert.Equal("miss", (await GetAsync(api, Pages[4])).Cache);
        Assert.Equal((3, sizes[2..].Sum()), await StatsAsync(api));
        await AssertCachedAsync(api, Pages[2..]);
        Assert.Equal("miss", (await GetAsync(api, Pages[0])).Cache);
        Assert.Equal("miss", (await GetAsync(api, Pages[1])).Cache);
    }

    [Fact]
    public async Task An_answer_larger_than_three_quarters_of_the_limit_is_not_cached_and_evicts_nothing()
    {
        var sizes = new long[Pages.Length];
        byte[] big;
        const string BigPage = "/api/v1/models/fct_appointments/rows?order_by=id&limit=40";
        await using (var measuring = await project.StartAsync(new ServeSettings()))
        {
            using var client = PreparedProject.Client(measuring, null);
            for (var i = 0; i < Pages.Length; i++)
            {
                sizes[i] = CachedSize((await GetAsync(client, Pages[i])).Raw);
            }

            big = (await GetAsync(client, BigPage)).Raw;
        }

        var limit = sizes[..4].Sum();
        Assert.True(CachedSize(big) > limit * 3 / 4, $"the big page ({CachedSize(big)} bytes) is not past 3/4 of {limit}");
        await using var server = await project.StartAsync(new ServeSettings { Cache = new CacheSettings { MaxBytes = limit } });
        using var api = PreparedProject.Client(server, null);
        Assert.Equal("miss", (await GetAsync(api, Pages[0])).Cache);
        Assert.Equal("miss", (await GetAsync(api, Pages[2])).Cache);

        Assert.Equal("miss", (await GetAsync(api, BigPage)).Cache);
        Assert.Equal("miss", (await GetAsync(api, BigPage)).Cache);

        Assert.Equal((2, sizes[0] + sizes[2]), await StatsAsync(api));
        await AssertCachedAsync(api, [Pages[0], Pages[2]]);
    }

    private sealed record Answer(string? Cache, byte[] Raw);

    private static async Task AssertCachedAsync(HttpClient client, IEnumerable<string> pages)
    {
        foreach (var page in pages)
        {
            Assert.True((await GetAsync(client, page)).Cache == "hit", $"{page} is not in the cache");
        }
    }

    // The cache holds the answer without its meta member, which the server appends to the held
    // bytes on the way out: the size is where that member starts, plus the closing brace.
    private static long CachedSize(byte[] raw) => raw.AsSpan().LastIndexOf(MetaMember) + 1;

    private static async Task<(long Entries, long Bytes)> StatsAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/cache");
        var stats = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (stats.GetProperty("entries").GetInt64(), stats.GetProperty("bytes").GetInt64());
    }

    private static async Task<Answer> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var raw = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(raw)}");
        return new Answer(JsonDocument.Parse(raw).RootElement.GetProperty("meta").GetProperty("cache").GetString(), raw);
    }
}
