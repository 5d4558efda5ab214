using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Sluice.Server.Tests;

/// <summary>
/// <c>/api/v1/checks</c> and <c>/api/v1/sync</c> over real history: each row, filter and page is
/// compared with the checks and files the fixture declared and wrote, not with other answers.
/// </summary>
public sealed class PipelineHistoryTests(PipelineHistoryProject project) : IClassFixture<PipelineHistoryProject>
{
    private int CheckResults => project.Checks.Count * project.CheckRuns.Count;

    [Fact]
    public async Task Checks_list_both_runs_results_newest_first_as_declared_and_measured()
    {
        var page = await project.GetAsync("/api/v1/checks?limit=500");
        Assert.Equal((CheckResults, 500, 0), (Total(page), page.GetProperty("limit").GetInt32(), page.GetProperty("offset").GetInt32()));
        var items = Items(page);
        Assert.Equal(CheckResults, items.Count);

        // Newest first: the second run's results, then the first's.
        var checkedAt = items.Select(i => i.GetProperty("checked_at").GetDateTimeOffset()).ToList();
        Assert.Equal(checkedAt.OrderDescending(), checkedAt);
        Assert.Equal(
            [.. Enumerable.Repeat(project.CheckRuns[1], project.Checks.Count), .. Enumerable.Repeat(project.CheckRuns[0], project.Checks.Count)],
            items.Select(i => i.GetProperty("run_id").GetString()));

        foreach (var run in items.Chunk(project.Checks.Count))
        {
            Assert.Equal(project.Checks.Select(c => c.Name).Order(StringComparer.Ordinal), run.Select(i => i.GetProperty("check_name").GetString()).Order(StringComparer.Ordinal));
        }

        foreach (var item in items)
        {
            var declared = project.Checks.Single(c => c.Name == item.GetProperty("check_name").GetString());
            var what = $"{declared.Name} of {item.GetProperty("run_id").GetString()}";
            Assert.Equal(declared.Type, item.GetProperty("check_type").GetString());
            Assert.Equal(declared.Model, item.GetProperty("model").GetString());
            Assert.Equal(declared.Column, item.GetProperty("column_name").GetString());
            Assert.Equal(declared.Severity, item.GetProperty("severity").GetString());
            Assert.True(declared.Status == item.GetProperty("status").GetString(), $"{what}: {item}");
            Assert.Equal(declared.FailingRows, item.GetProperty("failing_rows").GetInt64());
            Assert.Equal(declared.RowsInScope, item.GetProperty("rows_in_scope").GetInt64());
            Expected.Near((double)declared.FailingRows / declared.RowsInScope, item.GetProperty("failing_ratio"), what);
            Assert.Equal(JsonValueKind.Null, item.GetProperty("mostly").ValueKind);
            Assert.Equal($"models/checks.yml:{declared.Line}", item.GetProperty("location").GetString());
            Assert.True(item.GetProperty("duration_ms").GetInt64() >= 0, what);
            if (declared.Status != "pass")
            {
                Assert.False(string.IsNullOrWhiteSpace(item.GetProperty("message").GetString()), $"{what} has no message");
            }
        }
    }

    [Theory]
    [InlineData("check=appointment_fee_at_least_45", "appointment_fee_at_least_45")]
    [InlineData("model=dim_company", "company_id_unique")]
    [InlineData("status=warn", "appointment_status_known")]
    [InlineData("status=FAIL", "appointment_fee_at_least_45")]
    [InlineData("status=Pass", "appointment_id_present,appointment_id_unique,company_id_unique")]
    [InlineData("status=error", "")]
    [InlineData("status=skipped", "")]
    [InlineData("model=fct_appointments&status=pass", "appointment_id_present,appointment_id_unique")]
    [InlineData("check=appointment_status_known&model=fct_appointments&status=warn", "appointment_status_known")]
    [InlineData("check=appointment_status_known&status=pass", "")]
    [InlineData("check=appointment_id_unique&model=dim_company", "")]
    [InlineData("check=no_such_check", "")]
    public async Task Checks_filter_by_check_model_and_status(string filter, string names)
    {
        string[] expected = names.Length == 0 ? [] : names.Split(',');
        var page = await project.GetAsync($"/api/v1/checks?{filter}&limit=500");

        // Each declared check of the filter once per run, and nothing else.
        var items = Items(page);
        Assert.Equal(expected.Length * project.CheckRuns.Count, Total(page));
        Assert.Equal(
            expected.SelectMany(n => project.CheckRuns.Select(r => $"{r} {n}")).Order(StringComparer.Ordinal),
            items.Select(i => $"{i.GetProperty("run_id").GetString()} {i.GetProperty("check_name").GetString()}").Order(StringComparer.Ordinal));
        Assert.All(items, i => Assert.Equal(project.Checks.Single(c => c.Name == i.GetProperty("check_name").GetString()).Status, i.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Since_keeps_what_started_on_or_after_the_day()
    {
        var (before, after) = project.Made;
        foreach (var endpoint in new[] { "checks", "sync" })
        {
            var all = endpoint == "checks" ? CheckResults : project.Loads.Count;
            Assert.Equal(all, Total(await project.GetAsync($"/api/v1/{endpoint}?since={ServedProject.Day(DateOnly.FromDateTime(before))}")));
            Assert.Equal(0, Total(await project.GetAsync($"/api/v1/{endpoint}?since={ServedProject.Day(DateOnly.FromDateTime(after).AddDays(1))}")));
        }
    }

    [Theory]
    [InlineData("checks", 3)]
    [InlineData("checks", 4)]
    [InlineData("sync", 2)]
    public async Task Pages_of_limit_and_offset_make_up_the_whole_list_in_order(string endpoint, int limit)
    {
        var whole = Items(await project.GetAsync($"/api/v1/{endpoint}?limit=500")).Select(Identity).ToList();
        var total = endpoint == "checks" ? CheckResults : project.Loads.Count;
        Assert.Equal(total, whole.Count);

        var paged = new List<string>();
        for (var offset = 0; offset < total; offset += limit)
        {
            var page = await project.GetAsync($"/api/v1/{endpoint}?limit={limit}&offset={offset}");
            Assert.Equal((total, limit, offset), (Total(page), page.GetProperty("limit").GetInt32(), page.GetProperty("offset").GetInt32()));
            var items = Items(page);
            Assert.Equal(Math.Min(limit, total - offset), items.Count);
            paged.AddRange(items.Select(Identity));
        }

        Assert.Equal(whole, paged);

        // Past the end: no items, and still the total.
        var beyond = await project.GetAsync($"/api/v1/{endpoint}?limit={limit}&offset={total}");
        Assert.Equal((0, total), (beyond.GetProperty("items").GetArrayLength(), Total(beyond)));
        Assert.Equal(limit, Items(await project.GetAsync($"/api/v1/{endpoint}?limit={limit}")).Count);
        Assert.Equal(Math.Min(50, total), Items(await project.GetAsync($"/api/v1/{endpoint}")).Count);
    }

    [Fact]
    public async Task Sync_lists_each_file_load_newest_first_with_its_rows_bytes_file_and_error()
    {
        var items = Items(await project.GetAsync("/api/v1/sync?limit=500"));
        Assert.Equal(project.Loads.Count, items.Count);
        var started = items.Select(i => i.GetProperty("started_at").GetDateTimeOffset()).ToList();
        Assert.Equal(started.OrderDescending(), started);

        // The second sync's loads come before the first's; each matches the file as written.
        var second = project.Loads.Count(l => l.Sync == 2);
        foreach (var (item, index) in items.Select((item, index) => (item, index)))
        {
            var sync = index < second ? 2 : 1;
            var load = project.Loads.Single(l => l.Sync == sync && l.Source == item.GetProperty("source").GetString() && l.Table == item.GetProperty("table_name").GetString());
            var what = $"{load.File} in sync {sync}: {item}";
            Assert.True(load.Status == item.GetProperty("status").GetString(), what);
            Assert.True("csv" == item.GetProperty("mode").GetString(), what);
            Assert.True((load.Rows, load.Rows, 0L) == (item.GetProperty("rows_read").GetInt64(), item.GetProperty("rows_upserted").GetInt64(), item.GetProperty("rows_deleted").GetInt64()), what);
            Assert.True(load.Bytes == item.GetProperty("bytes").GetInt64(), what);
            Assert.True(load.File == item.GetProperty("watermark_after").GetString(), what);
            Assert.True(item.GetProperty("completed_at").GetDateTimeOffset() >= item.GetProperty("started_at").GetDateTimeOffset(), what);
            if (load.BadLine is { } line)
            {
                Assert.Contains($"{load.File}:{line.ToString(CultureInfo.InvariantCulture)}", item.GetProperty("error").GetString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.True(item.GetProperty("error").ValueKind == JsonValueKind.Null, what);
            }
        }
    }

    [Theory]
    [InlineData("source=ledger")]
    [InlineData("source=files")]
    [InlineData("table=visits")]
    [InlineData("source=files&table=refunds")]
    [InlineData("source=ledger&table=visits")]
    [InlineData("status=FAILED")]
    [InlineData("status=success")]
    [InlineData("source=ledger&status=Success")]
    [InlineData("status=interrupted")]
    [InlineData("source=nowhere")]
    public async Task Sync_filters_by_source_table_and_status(string filter)
    {
        var conditions = filter.Split('&').Select(c => c.Split('=')).ToDictionary(c => c[0], c => c[1]);
        var expected = project.Loads
            .Where(l => !conditions.TryGetValue("source", out var source) || l.Source == source)
            .Where(l => !conditions.TryGetValue("table", out var table) || l.Table == table)
            .Where(l => !conditions.TryGetValue("status", out var status) || string.Equals(l.Status, status, StringComparison.OrdinalIgnoreCase))
            .Select(l => $"{l.Source}.{l.Table} {l.Status} {l.Rows}")
            .Order(StringComparer.Ordinal);

        var page = await project.GetAsync($"/api/v1/sync?{filter}");

        Assert.Equal(expected, Items(page).Select(i => $"{i.GetProperty("source").GetString()}.{i.GetProperty("table_name").GetString()} {i.GetProperty("status").GetString()} {i.GetProperty("rows_read").GetInt64()}").Order(StringComparer.Ordinal));
        Assert.Equal(expected.Count(), Total(page));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("offset=1.5", "offset")]
    [InlineData("since=2025-02-30", "since")]
    [InlineData("since=yesterday", "since")]
    [InlineData("status=passed", "status")]
    [InlineData("status=pass&status=fail", "status")]
    [InlineData("check=a&check=b", "check")]
    [InlineData("model=%00", "model")]
    [InlineData("severity=warn", "severity")]
    public async Task Bad_check_filters_are_400_problems_naming_the_parameter(string query, string parameter)
    {
        var problem = await project.ProblemAsync($"/api/v1/checks?{query}", HttpStatusCode.BadRequest);
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("offset=x", "offset")]
    [InlineData("since=2025-1-5", "since")]
    [InlineData("status=done", "status")]
    [InlineData("status=pass", "status")]
    [InlineData("table=a&table=b", "table")]
    [InlineData("sources=files", "sources")]
    public async Task Bad_sync_filters_are_400_problems_naming_the_parameter(string query, string parameter)
    {
        var problem = await project.ProblemAsync($"/api/v1/sync?{query}", HttpStatusCode.BadRequest);
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData("runs", "succeeded", "success, failed, running, skipped")]
    [InlineData("checks", "passed", "pass, warn, fail, error, skipped")]
    [InlineData("sync", "ok", "running, success, failed, interrupted")]
    public async Task A_status_no_history_row_can_hold_is_refused_with_the_statuses_there_are(string endpoint, string status, string statuses)
    {
        var problem = await project.ProblemAsync($"/api/v1/{endpoint}?status={status}", HttpStatusCode.BadRequest);

        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains($"'{status}'", detail, StringComparison.Ordinal);
        Assert.All(statuses.Split(", "), s => Assert.Contains(s, detail, StringComparison.Ordinal));
    }

    private static long Total(JsonElement page) => page.GetProperty("total").GetInt64();

    private static List<JsonElement> Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    // What tells one row from another: a check's run and name, a sync's run id.
    private static string Identity(JsonElement item) => item.TryGetProperty("check_name", out var name)
        ? $"{item.GetProperty("run_id").GetString()} {name.GetString()}"
        : item.GetProperty("run_id").GetString()!;
}
