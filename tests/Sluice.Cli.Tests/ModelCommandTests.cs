using System.Diagnostics;
using System.Text.Json;

namespace Sluice.Cli.Tests;

/// <summary>The model verbs through the real CLI on a small Sluice-style project (sluice.yml, DuckDB).</summary>
public sealed class ModelCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public ModelCommandTests()
    {
        Write("sluice.yml", "name: numbers\nmodels:\n  +materialized: view\n  marts:\n    +materialized: table\n    +schema: marts\n    +tags: [nightly]\n");
        Write("seeds/numbers.csv", "n,label\n1,one\n2,two\n3,three\n");
        Write("models/staging/stg_numbers.sql", "select n, upper(label) as label from {{ ref('numbers') }}\n");
        Write("models/marts/totals.sql", "{{ config(materialized='incremental', unique_key='k', incremental_strategy='merge') }}\nselect 'all' as k, sum(n) as total from {{ ref('stg_numbers') }}\n");
        Write("models/marts/slow_daily.sql",
            "{{ config(materialized='incremental', partition_by='d') }}\n"
            + "select cast('{{ partition_start }}' as date) as d, count(*) as n, sum(r % 7) as total from range(0, {{ var('rows', 10) }}) as t(r)\n");
    }

    public void Dispose() => _temp.Dispose();

    private void Write(string path, string text)
    {
        var full = _temp.Combine(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private Task<SluiceResult> RunAsync(params string[] arguments) => SluiceProcess.RunAsync(_temp.Path, arguments);

    private static async Task MakePipeAsync(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        await mkfifo.WaitForExitAsync();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    [Fact]
    public async Task Build_then_query_with_ref_reads_the_models()
    {
        var build = await RunAsync("build", "--date", "2025-01-01");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("Done in", build.Stderr);
        Assert.Contains("marts.totals", build.Stderr);

        var query = await RunAsync("query", "select total from {{ ref('totals') }}", "--format", "csv");
        Assert.True(query.ExitCode == 0, query.ToString());
        Assert.Equal("total\n6\n", query.Stdout);

        var list = await RunAsync("ls", "--select", "tag:nightly");
        Assert.Contains("marts.slow_daily", list.Stdout);
        Assert.Contains("incremental (d by day)", list.Stdout);
        Assert.DoesNotContain("stg_numbers", list.Stdout);
    }

    [Fact]
    public async Task Compile_writes_the_rendered_sql_to_target()
    {
        var compile = await RunAsync("compile", "-s", "totals", "--vars", "{rows: 5}");

        Assert.True(compile.ExitCode == 0, compile.ToString());
        var path = _temp.Combine("target", "compiled", "numbers", "models", "marts", "totals.sql");
        var sql = File.ReadAllText(path);
        Assert.Contains("from \"main\".\"stg_numbers\"", sql);
        Assert.Equal(sql.Trim(), compile.Stdout.Trim());
    }

    [Theory]
    [InlineData("--select", "colour:red", "error: --select 'colour:red': unknown selector method 'colour'")]
    [InlineData("--date", "2025-13-01", "error: --date '2025-13-01' is not a day; write it as YYYY-MM-DD")]
    [InlineData("--vars", "[1, 2]", "error: --vars must be a YAML mapping")]
    public async Task Bad_options_are_usage_errors(string option, string value, string message)
    {
        var result = await RunAsync("run", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(message, result.Stderr.Trim().Split('\n')[^1]);
    }

    [Fact]
    public async Task A_sql_error_names_the_model_and_file_and_exits_with_1()
    {
        Write("models/marts/broken.sql", "select missing_column from {{ ref('stg_numbers') }}\n");
        await RunAsync("seed");

        var result = await RunAsync("run", "-s", "stg_numbers+");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: model 'broken' (models/marts/broken.sql) failed: ", result.Stderr);
        Assert.Contains("missing_column", result.Stderr);
    }

    [Fact]
    public async Task Status_reports_failures_last_successes_and_missing_partitions()
    {
        Write("models/marts/broken.sql", "select missing_column from {{ ref('stg_numbers') }}\n");
        Assert.Equal(1, (await RunAsync("build", "--from", "2025-01-01", "--to", "2025-01-02")).ExitCode);
        Assert.Equal(0, (await RunAsync("run", "-s", "slow_daily", "--date", "2025-01-04")).ExitCode);

        var json = await RunAsync("status", "--from", "2025-01-01", "--to", "2025-01-05", "--format", "json");

        Assert.True(json.ExitCode == 1, json.ToString());
        Assert.Contains("error: 2 resource(s) need attention (latest run failed or skipped after an upstream failure, or partitions missing): slow_daily, broken.", json.Stderr);
        using var document = System.Text.Json.JsonDocument.Parse(json.Stdout);
        var resources = document.RootElement.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(["2025-01-03", "2025-01-05"], resources["slow_daily"].GetProperty("missing_partitions").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("FAILED", resources["broken"].GetProperty("latest_run").GetProperty("status").GetString());
        Assert.Contains("missing_column", resources["broken"].GetProperty("latest_run").GetProperty("error_message").GetString());
        Assert.Equal(JsonValueKind.Null, resources["broken"].GetProperty("last_success").ValueKind);
        Assert.Equal(3, resources["numbers"].GetProperty("last_success").GetProperty("rows_processed").GetInt64());
        Assert.False(resources["totals"].GetProperty("needs_attention").GetBoolean());
        var invocations = document.RootElement.GetProperty("invocations").EnumerateArray().ToList();
        Assert.Equal(2, invocations.Count);
        Assert.Equal((1, 1), (invocations[0].GetProperty("runs").GetInt32(), invocations[0].GetProperty("succeeded").GetInt32()));
        Assert.Equal(1, invocations[1].GetProperty("failed").GetInt32());
        Assert.Single(document.RootElement.GetProperty("failures").EnumerateArray());

        var table = await RunAsync("status", "-s", "slow_daily", "--from", "2025-01-01", "--to", "2025-01-05");
        Assert.Contains("2: 2025-01-03, 2025-01-05", table.Stdout);
        var backfill = await RunAsync("backfill", "-s", "slow_daily", "--from", "2025-01-01", "--to", "2025-01-05");
        Assert.Equal(0, backfill.ExitCode);
        Assert.Contains("in 2 partition(s), 3 already done", backfill.Stderr);
        Assert.Contains("1 succeeded, 0 failed, 0 skipped; 3 partition(s) already done (--force builds them again).", backfill.Stderr);
        var healthy = await RunAsync("status", "-s", "slow_daily", "--from", "2025-01-01", "--to", "2025-01-05", "--since", "2025-01-01");
        Assert.True(healthy.ExitCode == 0, healthy.ToString());
        Assert.DoesNotContain("Failures since", healthy.Stdout);

        // The backfill's three built days asked for again are SKIPPED runs, counted apart.
        using var after = JsonDocument.Parse((await RunAsync("status", "-s", "slow_daily", "--from", "2025-01-01", "--to", "2025-01-05", "--format", "json")).Stdout);
        var latest = after.RootElement.GetProperty("invocations")[0];
        Assert.Equal((5, 2, 0, 3), (latest.GetProperty("runs").GetInt32(), latest.GetProperty("succeeded").GetInt32(), latest.GetProperty("skipped").GetInt32(), latest.GetProperty("already_built").GetInt32()));
    }

    [Fact]
    public async Task After_a_full_refresh_status_shows_no_failures_and_the_earlier_runs_stay_successful()
    {
        Assert.Equal(0, (await RunAsync("build", "--from", "2025-01-01", "--to", "2025-01-03")).ExitCode);
        var refresh = await RunAsync("build", "--full-refresh", "--from", "2025-01-01", "--to", "2025-01-03");
        Assert.True(refresh.ExitCode == 0, refresh.ToString());

        var json = await RunAsync("status", "--from", "2025-01-01", "--to", "2025-01-03", "--format", "json");

        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Empty(document.RootElement.GetProperty("failures").EnumerateArray());
        Assert.All(document.RootElement.GetProperty("invocations").EnumerateArray(), i => Assert.Equal(0, i.GetProperty("failed").GetInt32()));
        var daily = document.RootElement.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "slow_daily");
        Assert.Empty(daily.GetProperty("missing_partitions").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, daily.GetProperty("latest_run").GetProperty("superseded_by").ValueKind);
        Assert.DoesNotContain("Failures since", (await RunAsync("status", "--from", "2025-01-01", "--to", "2025-01-03")).Stdout);

        // Three runs superseded, three current, all SUCCESS; a plain build then builds nothing.
        Assert.Equal(0, (await RunAsync("build", "-s", "slow_daily", "--from", "2025-01-01", "--to", "2025-01-03")).ExitCode);
        // The plain build's three partitions are SKIPPED runs, already built.
        var runs = await RunAsync("query", "select status, coalesce(skip_reason, '-') as reason, count(*) as runs, count(superseded_by) as superseded from _sluice.job_runs where job_name = 'slow_daily' group by status, skip_reason order by status", "--format", "csv");
        Assert.True(runs.ExitCode == 0, runs.ToString());
        Assert.Equal("status,reason,runs,superseded\nSKIPPED,ALREADY_BUILT,3,0\nSUCCESS,-,6,3\n", runs.Stdout);
    }

    [Fact]
    public async Task A_template_error_names_file_line_and_column()
    {
        Write("models/marts/bad.sql", "select 1\n{% while true %}{% endwhile %}\n");

        var result = await RunAsync("run");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: models/marts/bad.sql:2:4: unsupported tag '{% while %}'", result.Stderr.Trim());
    }

    [Fact]
    public async Task A_cycle_exits_2_naming_both_files_with_the_lines_of_their_refs()
    {
        Write("models/marts/left.sql", "{{ config(materialized='table') }}\nselect * from {{ ref('right') }}\n");
        Write("models/marts/right.sql", "select *\nfrom {{ ref('left') }}\n");

        var result = await RunAsync("compile");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "error: models/marts/right.sql:2:9: models depend on each other in a cycle: left → right → left, through ref('left') at models/marts/right.sql:2:9 and ref('right') at models/marts/left.sql:2:18; remove one of these references.\n",
            result.Stderr);
    }

    [Fact]
    public async Task A_backfill_killed_mid_partition_leaves_whole_partitions_and_the_next_run_completes_it()
    {
        // Partition 3 reads a named pipe that is never written to, so its query runs until the
        // process is killed. The test's own open of the pipe returns once the query has opened it:
        // then the kill lands inside partition 3, however fast or loaded the machine is.
        const string Rows = "5000";
        var pipe = _temp.Combine("stall.pipe");
        await MakePipeAsync(pipe);
        Write("models/marts/slow_daily.sql",
            "{{ config(materialized='incremental', partition_by='d') }}\n"
            + "select cast('{{ partition_start }}' as date) as d, count(*) as n, sum(r % 7) as total from range(0, {{ var('rows', 10) }}) as t(r)\n"
            + "{% if partition_start == var('stall_on', '') %}where r < (select count(*) from read_csv('{{ var('stall_pipe', '') }}', header = false, columns = {'line': 'varchar'})){% endif %}\n");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _temp.Path, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { SluiceProcess.AppPath, "backfill", "-s", "slow_daily", "--from", "2025-01-01", "--to", "2025-01-06", "--vars", $"{{rows: {Rows}, stall_on: '2025-01-03', stall_pipe: '{pipe}'}}" })
        {
            start.ArgumentList.Add(argument);
        }

        using (var process = Process.Start(start)!)
        {
            var errors = new System.Text.StringBuilder();
            process.ErrorDataReceived += (_, e) =>
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var opened = Task.Run(() => new FileStream(pipe, FileMode.Open, FileAccess.Write));
            try
            {
                // A guard against hanging, not a wait for the partition: a backfill that never
                // reaches partition 3 fails the test.
                if (await Task.WhenAny(opened, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2))) != opened)
                {
                    Assert.Fail($"the backfill did not reach partition 3 (exited: {process.HasExited}): {errors}");
                }
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync();

                // The kill closed the reading end, or there never was one: opening it here frees
                // a writer still waiting for one.
                if (!opened.IsCompleted)
                {
                    await using var reader = new FileStream(pipe, FileMode.Open, FileAccess.Read);
                }

                await (await opened).DisposeAsync();
            }
        }

        var afterKill = await RunAsync("query", "select (select string_agg(cast(d as varchar) || '=' || cast(n as varchar), ',' order by d) from {{ ref('slow_daily') }}) as rows, (select string_agg(cast(target_date as varchar) || ':' || status, ',' order by target_date) from _sluice.job_runs) as runs", "--format", "csv");
        Assert.True(afterKill.ExitCode == 0, afterKill.ToString());
        Assert.Equal(
            $"rows,runs\n2025-01-01={Rows},2025-01-02={Rows},2025-01-01:SUCCESS,2025-01-02:SUCCESS,2025-01-03:RUNNING\n",
            afterKill.Stdout.Replace("\",\"", ",").Replace("\"", string.Empty));

        var resume = await RunAsync("backfill", "-s", "slow_daily", "--from", "2025-01-01", "--to", "2025-01-03", "--vars", "{rows: 1000}");
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Contains("1 partition(s), 2 already done", resume.Stderr);

        var final = await RunAsync("query", "select (select string_agg(cast(d as varchar) || '=' || cast(n as varchar), ',' order by d) from {{ ref('slow_daily') }}), (select count(*) from _sluice.job_runs where status = 'RUNNING'), (select error_message from _sluice.job_runs where status = 'FAILED')", "--format", "csv");
        Assert.Contains($"2025-01-01={Rows},2025-01-02={Rows},2025-01-03=1000", final.Stdout);
        Assert.Contains(",0,the process running it stopped (killed or crashed) before it finished", final.Stdout);
    }
}
