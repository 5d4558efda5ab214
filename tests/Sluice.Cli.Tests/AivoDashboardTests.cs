using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sluice.Demo;
using Sluice.Demo.Aivo;

namespace Sluice.Cli.Tests;

/// <summary>
/// The AIVO example's jobs dashboard (examples/aivo/dashboards/jobs.yml) over three generated days
/// run as the schedules run them, the facts forced again (as the 03:00 run does), and a fact build
/// that fails and is run again: every panel is
/// asked what the web page asks, over the page's days, and answers the figures this test computes
/// from Sluice's own record of the runs, _sluice.job_runs.
/// </summary>
public sealed class AivoDashboardTests : IDisposable
{
    private const long Seed = 7;

    // The seed's jobs: its dimension syncs are the snapshots, its fact builds the fact models.
    private const string Jobs = "(select * from _sluice.job_runs where kind = 'snapshot' or starts_with(job_name, 'fact_')) as runs";

    // The seed's name of a job, from Sluice's: snap_tenant is sync_dim_tenant, fact_sessions build_fact_sessions.
    private const string SeedName = "case when kind = 'snapshot' then 'sync_dim_' || substr(job_name, 6) else 'build_' || job_name end";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_jobs_dashboard_shows_the_runs_job_runs_recorded()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var last = today.AddDays(-1);
        var first = last.AddDays(-2);
        AivoProject.Example.Write(_temp.Path, csv: true);
        DisableSchedules();
        await RunPipelineAsync(first, last);
        await RunAsync("build", "--select", "tag:facts", "--from", Day(first), "--to", Day(last), "--force");

        // A fact build that fails (a dimension it reads is away), then its retry.
        await RunAsync("query", "alter table snapshots.snap_learner rename to snap_learner_away");
        var failed = await SluiceProcess.RunAsync(_temp.Path, "build", "--select", "fact_focus_events", "--date", Day(last), "--force");
        Assert.True(failed.ExitCode == 1, failed.ToString());
        await RunAsync("query", "alter table snapshots.snap_learner_away rename to snap_learner");
        await RunAsync("build", "--select", "fact_focus_events", "--date", Day(last), "--force");

        var listed = await SluiceProcess.RunAsync(_temp.Path, "dashboards", "--format", "json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var summary = Assert.Single(JsonDocument.Parse(listed.Stdout).RootElement.EnumerateArray());
        Assert.Equal(("jobs", 10), (summary.GetProperty("name").GetString(), summary.GetProperty("panels").GetInt32()));

        // The figures, from the runs themselves, before the server holds the warehouse file.
        var (week, month) = ((today.AddDays(-6), today), (today.AddDays(-29), today));
        var runsByStatus = Figures($"select run_date, status, count(*) from {Jobs} where {Between("run_date", week)} group by all");
        var successRate = Figures($"select run_date, null, 100.0 * count(*) filter (where status = 'SUCCESS') / count(*) filter (where status in ('SUCCESS', 'FAILED')) from {Jobs} where {Between("run_date", week)} group by all");
        var weekTotals = Query($"select 100.0 * count(*) filter (where status = 'SUCCESS') / count(*) filter (where status in ('SUCCESS', 'FAILED')), count(*) filter (where status = 'FAILED'), count(*) from {Jobs} where {Between("run_date", week)}").Single();
        var factRows = Figures($"select target_date, {SeedName}, max(rows_processed) filter (where status = 'SUCCESS') from {Jobs} where {Between("target_date", month)} group by all");
        var durations = Figures($"select run_date, {SeedName}, avg(duration_ms) filter (where status = 'SUCCESS') / 1000.0 from {Jobs} where {Between("run_date", month)} group by all");
        var localToday = (DateOnly)Query("select current_date").Single()[0]!;
        var newest = Query($"select {SeedName}, max(target_date) filter (where status = 'SUCCESS') from {Jobs} where {Between("target_date", month)} group by all")
            .ToDictionary(r => $"{Day(month.Item1)}|{r[0]}", r => (double?)(localToday.DayNumber - ((DateOnly)r[1]!).DayNumber));
        var recent = Runs($"where {Between("run_date", month)} order by started_at desc limit 50");
        var failures = Runs($"where {Between("run_date", month)} and status = 'FAILED' order by started_at desc limit 10");
        Assert.Equal(50, recent.Count);
        Assert.Single(failures);
        Assert.Contains("snap_learner", failures[0][5], StringComparison.Ordinal);
        Assert.True(factRows.Count >= 15 && durations.Count == 10 && runsByStatus.Count == 2, "the runs are not what this test was written for");

        await using var served = await ServedProcess.StartAsync(_temp.Path, ["serve"], Path.Combine(_temp.Path, "aivo.duckdb.serving"));
        using var client = new HttpClient { BaseAddress = served.Url };
        var dashboard = await client.GetFromJsonAsync<JsonElement>("api/v1/dashboards/jobs");
        Assert.Equal(30, dashboard.GetProperty("range_days").GetInt32());
        var panels = dashboard.GetProperty("panels").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
        var page = new PanelPage(client, today, 30);

        Assert.Equal(Convert.ToDouble(weekTotals[0], CultureInfo.InvariantCulture), Single(await page.TrendAsync(panels["success-rate-7d"])), 9);
        Assert.Equal(Convert.ToDouble(weekTotals[1], CultureInfo.InvariantCulture), Single(await page.TrendAsync(panels["failed-7d"])));
        Assert.Equal(Convert.ToDouble(weekTotals[2], CultureInfo.InvariantCulture), Single(await page.TrendAsync(panels["runs-7d"])));
        AssertFigures(runsByStatus, await page.TrendAsync(panels["daily-runs"]));
        AssertFigures(successRate, await page.TrendAsync(panels["daily-success-rate"]));
        AssertFigures(factRows, await page.TrendAsync(panels["fact-rows"]));
        AssertFigures(durations, await page.TrendAsync(panels["durations"]));
        AssertFigures(newest, await page.TrendAsync(panels["partition-lag"]));
        Assert.Equal(failures.Select(f => (f[0], f[1], f[5])), (await page.RowsAsync(panels["failures"])).Select(r => (r[0], r[1], r[3])));
        Assert.Equal(recent, await page.RowsAsync(panels["recent-runs"]));

        // The dashboard's job filter narrows the runs to one job.
        var one = await page.RowsAsync(panels["recent-runs"], ("job_name", "build_fact_focus_events"));
        Assert.Equal(recent.Where(r => r[0] == "build_fact_focus_events"), one.Take(recent.Count(r => r[0] == "build_fact_focus_events")));
        Assert.All(one, r => Assert.Equal("build_fact_focus_events", r[0]));

        await served.StopAsync();
        Assert.Equal(0, served.ExitCode);
    }

    private static double Single(Dictionary<string, double?> figures) => Assert.Single(figures).Value!.Value;

    private static void AssertFigures(Dictionary<string, double?> expected, Dictionary<string, double?> answered)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), answered.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected)
        {
            Assert.True(value is null ? answered[key] is null : Math.Abs(value.Value - answered[key]!.Value) < 1e-9, $"{key}: expected {value}, answered {answered[key]}");
        }
    }

    // The product day by day, its dimensions snapshotted after each day's sync, then the facts for the range.
    private async Task RunPipelineAsync(DateOnly first, DateOnly last)
    {
        var data = Path.Combine(_temp.Path, ExampleProject.DataFolder);
        var state = AivoState.Build(Seed, first, first.AddDays(-1), AivoScale.Small);
        await AivoCsv.WriteAsync(data, state);
        await RunAsync("sync");
        await RunAsync("build", "--select", "tag:dims");
        while (state.Last < last)
        {
            await AivoCsv.WriteAsync(data, state, state.Advance());
            await RunAsync("sync");
            await RunAsync("build", "--select", "tag:dims");
        }

        await RunAsync("build", "--from", Day(first), "--to", Day(last));
    }

    // `sluice serve` runs the schedules too: at the top of an hour a scheduled sync and build would
    // add runs while the test reads the panels.
    private void DisableSchedules()
    {
        var path = Path.Combine(_temp.Path, "sluice.yml");
        var text = Regex.Replace(File.ReadAllText(path), "^(    cron: .*\n)", "$1    enabled: false\n", RegexOptions.Multiline);
        Assert.Equal(3, Regex.Matches(text, "enabled: false").Count);
        File.WriteAllText(path, text);
    }

    private async Task RunAsync(params string[] arguments)
    {
        var result = await SluiceProcess.RunAsync(_temp.Path, arguments);
        Assert.True(result.ExitCode == 0, $"sluice {string.Join(' ', arguments)}: {result}");
    }

    // Figures keyed as PanelPage keys answers: day|group.
    private Dictionary<string, double?> Figures(string sql) => Query(sql).ToDictionary(
        r => $"{Day((DateOnly)r[0]!)}|{r[1]}",
        r => r[2] is null ? (double?)null : Convert.ToDouble(r[2], CultureInfo.InvariantCulture));

    // The seed's "Recent job runs" columns of the runs: job_name, target_date, status, rows_processed, duration_ms, error_message.
    private List<string?[]> Runs(string rest) => [.. Query($"select {SeedName}, cast(target_date as varchar), status, cast(rows_processed as varchar), cast(duration_ms as varchar), error_message from {Jobs} {rest}")
        .Select(r => r.Select(v => (string?)v).ToArray())];

    private static string Between(string column, (DateOnly From, DateOnly To) days) => $"{column} between date '{Day(days.From)}' and date '{Day(days.To)}'";

    private List<object?[]> Query(string sql) => DbRows.QueryDuckDb(Path.Combine(_temp.Path, "aivo.duckdb"), sql);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Asks a panel's query as the web page does: its path and parameters, over the dashboard's days or the panel's own last days.</summary>
    private sealed class PanelPage(HttpClient client, DateOnly today, int rangeDays)
    {
        public async Task<Dictionary<string, double?>> TrendAsync(JsonElement panel)
        {
            var answer = await client.GetFromJsonAsync<JsonElement>(Url(panel, []));
            return answer.GetProperty("periods").EnumerateArray().ToDictionary(
                p => $"{p.GetProperty("period").GetString()}|{(p.GetProperty("group") is { ValueKind: JsonValueKind.Object } g ? string.Join(",", g.EnumerateObject().Select(v => v.Value.ToString())) : "")}",
                p => p.GetProperty("value") is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : (double?)null);
        }

        public async Task<List<string?[]>> RowsAsync(JsonElement panel, params (string Name, string Value)[] filters)
        {
            var options = panel.GetProperty("options");
            var query = panel.GetProperty("query");
            var more = filters.Select(f => (query.GetProperty("filter_parameter").GetString()!.Replace("{name}", f.Name, StringComparison.Ordinal), f.Value))
                .Append(("limit", options.GetProperty("page_size").GetInt32().ToString(CultureInfo.InvariantCulture)))
                .Append(("order_by", options.GetProperty("order_by").GetString()!));
            var answer = await client.GetFromJsonAsync<JsonElement>(Url(panel, [.. more]));
            var columns = options.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
            return [.. answer.GetProperty("rows").EnumerateArray().Select(r => columns.Select(c => r.GetProperty(c) is { ValueKind: not JsonValueKind.Null } v ? v.ToString() : null).ToArray())];
        }

        private string Url(JsonElement panel, IReadOnlyList<(string Name, string Value)> more)
        {
            var query = panel.GetProperty("query");
            var days = panel.GetProperty("range_days") is { ValueKind: JsonValueKind.Number } own ? own.GetInt32() : rangeDays;
            var parameters = query.GetProperty("parameters").EnumerateObject().SelectMany(p => p.Value.EnumerateArray().Select(v => (p.Name, Value: v.GetString()!))).ToList();
            if (query.GetProperty("range") is { ValueKind: JsonValueKind.Object } range)
            {
                parameters.Add((range.GetProperty("from").GetString()!, Day(today.AddDays(1 - days))));
                parameters.Add((range.GetProperty("to").GetString()!, Day(today)));
            }

            parameters.AddRange(more);
            return query.GetProperty("path").GetString()!.TrimStart('/') + "?" + string.Join("&", parameters.Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));
        }
    }
}
