namespace Sluice.Cli.Tests;

/// <summary>
/// Ctrl+C (SIGINT) on a real sluice process: the DuckDB query under way is interrupted, the
/// command says "cancelled" and exits with 130, and what a build had not committed is rolled back.
/// </summary>
public sealed class InterruptTests : IDisposable
{
    // Counts the pairs of two ranges of this many numbers that add up to less than zero: none, after
    // trillions of comparisons, hours of work. A query that ends is one that was interrupted.
    private const string Endless = "(select count(*) from range({{ var('big', 1) }}) a, range({{ var('big', 1) }}) b where a.range + b.range < 0)";
    private const string Big = "3000000";

    // Written by a model's pre_hook just before its endless query starts.
    private const string MarkerHook = "{% if var('marker', '') %}copy (select 1 as started) to '{{ var('marker') }}'{% endif %}";

    private readonly TempDirectory _temp = new();

    public InterruptTests()
    {
        Write("sluice.yml", "name: interrupted\nwarehouse:\n  type: duckdb\n  path: warehouse.duckdb\n");
        Write("models/totals.sql", $"{{{{ config(materialized='table', pre_hook=\"{MarkerHook}\") }}}}\nselect {{{{ var('k', 1) }}}} as k, {Endless} as never\n");
        Write("models/daily.sql",
            $"{{{{ config(materialized='incremental', partition_by='d', pre_hook=\"{{% if partition_start == var('stall_on', '') %}}{MarkerHook}{{% endif %}}\") }}}}\n"
            + "select cast('{{ partition_start }}' as date) as d, {{ var('k', 1) }} as k,\n"
            + $"{{% if partition_start == var('stall_on', '') %}}{Endless}{{% else %}}0{{% endif %}} as never\n");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Ctrl_C_interrupts_a_long_query_which_prints_nothing_and_exits_130()
    {
        var marker = _temp.Combine("query-started.csv");
        using var query = StartedSluice.Start(_temp.Path, "query", $"copy (select 1 as started) to '{marker}'; select sum(a.range * b.range) as total from range({Big}) a, range({Big}) b", "--format", "csv");
        await query.WaitForFileAsync(marker, TimeSpan.FromMinutes(2));

        await query.SignalAsync("INT");
        var result = await query.ExitAsync();

        // "cancelled." is printed only when the query was interrupted and the command ended on its
        // own: had the signal not reached DuckDB, the query would have run on until the command
        // line's grace ran out and ended the process, 130 too, without a word.
        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Equal("error: cancelled.\n", result.Stderr);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Ctrl_C_during_a_table_build_keeps_the_table_it_was_replacing_and_the_next_build_succeeds()
    {
        await RunOkAsync("build", "--select", "totals", "--vars", "{k: 1}");
        var marker = _temp.Combine("totals-started.csv");

        using (var build = StartedSluice.Start(_temp.Path, "build", "--select", "totals", "--vars", $"{{k: 2, big: {Big}, marker: '{marker}'}}"))
        {
            await build.WaitForFileAsync(marker, TimeSpan.FromMinutes(2));
            await build.SignalAsync("INT");
            var interrupted = await build.ExitAsync();
            Assert.True(interrupted.ExitCode == 130, interrupted.ToString());
            Assert.EndsWith("error: cancelled.\n", interrupted.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal("k,successes,tables\n1,1,totals\n", await QueryAsync(
            "select (select string_agg(k, ',') from totals) as k, "
            + "(select count(*) from _sluice.job_runs where job_name = 'totals' and status = 'SUCCESS') as successes, "
            + "(select string_agg(table_name, ',' order by table_name) from information_schema.tables where table_schema = 'main') as tables"));
        Assert.Equal("status,error_message\nFAILED,\"cancelled (Ctrl+C, SIGTERM or a stopped job) before it finished; nothing of it was committed\"\n", await QueryAsync(
            "select status, error_message from _sluice.job_runs where job_name = 'totals' order by started_at desc limit 1"));

        var next = await RunOkAsync("build", "--select", "totals", "--vars", "{k: 3}");
        Assert.Contains("1 succeeded", next.Stderr, StringComparison.Ordinal);
        Assert.Equal("k,running\n3,0\n", await QueryAsync("select (select string_agg(k, ',') from totals) as k, (select count(*) from _sluice.job_runs where status = 'RUNNING') as running"));
    }

    [Fact]
    public async Task Ctrl_C_during_a_partition_leaves_no_part_of_it_and_the_next_build_adds_it()
    {
        await RunOkAsync("build", "--select", "daily", "--from", "2025-01-01", "--to", "2025-01-02", "--vars", "{k: 1}");
        var marker = _temp.Combine("daily-started.csv");

        using (var build = StartedSluice.Start(_temp.Path, "build", "--select", "daily", "--from", "2025-01-01", "--to", "2025-01-03", "--vars", $"{{k: 2, big: {Big}, stall_on: '2025-01-03', marker: '{marker}'}}"))
        {
            await build.WaitForFileAsync(marker, TimeSpan.FromMinutes(2));
            await build.SignalAsync("INT");
            var interrupted = await build.ExitAsync();
            Assert.True(interrupted.ExitCode == 130, interrupted.ToString());
            Assert.EndsWith("error: cancelled.\n", interrupted.Stderr, StringComparison.Ordinal);
        }

        const string Partitions = "select (select string_agg(d || '=' || k, ' ' order by d) from daily) as rows, "
            + "(select string_agg(target_date, ' ' order by target_date) from _sluice.job_runs where job_name = 'daily' and status = 'SUCCESS') as built, "
            + "(select count(*) from information_schema.tables where table_name like 'daily\\_\\_%' escape '\\') as scratch";
        Assert.Equal("rows,built,scratch\n2025-01-01=1 2025-01-02=1,2025-01-01 2025-01-02,0\n", await QueryAsync(Partitions));

        var next = await RunOkAsync("build", "--select", "daily", "--from", "2025-01-01", "--to", "2025-01-03", "--vars", "{k: 3}");
        Assert.Contains("1 partition(s), 2 already done", next.Stderr, StringComparison.Ordinal);
        Assert.Equal("rows,built,scratch\n2025-01-01=1 2025-01-02=1 2025-01-03=3,2025-01-01 2025-01-02 2025-01-03,0\n", await QueryAsync(Partitions));
        Assert.Equal("running\n0\n", await QueryAsync("select count(*) as running from _sluice.job_runs where status = 'RUNNING'"));
    }

    private void Write(string path, string text)
    {
        var full = _temp.Combine(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private async Task<SluiceResult> RunOkAsync(params string[] arguments)
    {
        var result = await SluiceProcess.RunAsync(_temp.Path, arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private async Task<string> QueryAsync(string sql) => (await RunOkAsync("query", sql, "--format", "csv")).Stdout;
}
