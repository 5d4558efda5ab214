namespace Sluice.Cli.Tests;

/// <summary>
/// The model verbs' options through the real CLI, each seen by what it changes in the warehouse
/// or in how the run goes: <c>snapshot</c>, <c>--force</c>, <c>--threads</c>,
/// <c>backfill --concurrency</c>, and their bad values. Models that must run at the same time
/// wait on named pipes (<see cref="GatePipes"/>), so concurrency is observed, never timed.
/// </summary>
public sealed class ModelOptionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public ModelOptionTests()
    {
        Write("sluice.yml", "name: options\n");
        Write("seeds/people.csv", "id,name\n1,Ann\n2,Bob\n");
        Write("models/people_names.sql", "select name from {{ ref('people') }}\n");
        Write("models/daily.sql",
            "{{ config(materialized='incremental', partition_by='d') }}\n"
            + "select cast('{{ partition_start }}' as date) as d, {{ var('version', 1) }} as version\n");
        Write("snapshots/people_snapshot.sql",
            "{% snapshot people_snapshot %}\n"
            + "{{ config(unique_key='id', strategy='check', check_cols=['name']) }}\n"
            + "select id, name from {{ ref('people') }}\n"
            + "{% endsnapshot %}\n");
    }

    public void Dispose() => _temp.Dispose();

    private string PipesFolder => _temp.Combine("pipes");

    private void Write(string path, string text)
    {
        var full = _temp.Combine(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private Task<SluiceResult> RunAsync(params string[] arguments) => SluiceProcess.RunAsync(_temp.Path, arguments);

    private async Task<SluiceResult> SucceedsAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private async Task<string> CsvAsync(string sql) => (await SucceedsAsync("query", sql, "--format", "csv")).Stdout;

    [Fact]
    public async Task Snapshot_records_each_change_of_the_snapshot_query_as_a_new_version_and_builds_nothing_else()
    {
        await SucceedsAsync("seed");

        var first = await SucceedsAsync("snapshot");

        Assert.Contains("1 succeeded, 0 failed, 0 skipped", first.Stderr, StringComparison.Ordinal);
        Assert.Equal("id,name,is_current\n1,Ann,true\n2,Bob,true\n", await CsvAsync("select id, name, is_current from {{ ref('people_snapshot') }} order by id"));
        Assert.Equal("built\n0\n", await CsvAsync("select count(*) as built from information_schema.tables where table_name in ('people_names', 'daily')"));

        Write("seeds/people.csv", "id,name\n1,Ann\n2,Bea\n");
        await SucceedsAsync("seed");
        await SucceedsAsync("snapshot");

        Assert.Equal(
            "id,name,is_current,closed\n1,Ann,true,false\n2,Bea,true,false\n2,Bob,false,true\n",
            await CsvAsync("select id, name, is_current, effective_to is not null as closed from {{ ref('people_snapshot') }} order by id, name"));
    }

    [Fact]
    public async Task Force_rebuilds_partitions_that_already_succeeded_in_run_and_backfill()
    {
        const string Rows = "select d, version from {{ ref('daily') }} order by d";
        await SucceedsAsync("run", "-s", "daily", "--date", "2025-01-01");

        var again = await SucceedsAsync("run", "-s", "daily", "--date", "2025-01-01", "--vars", "{version: 2}");
        Assert.Contains("in 0 partition(s), 1 already done", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 succeeded, 0 failed, 0 skipped; 1 partition(s) already done (--force builds them again).", again.Stderr, StringComparison.Ordinal);
        Assert.Equal("d,version\n2025-01-01,1\n", await CsvAsync(Rows));

        var forced = await SucceedsAsync("run", "-s", "daily", "--date", "2025-01-01", "--vars", "{version: 2}", "--force");
        Assert.Contains("in 1 partition(s)", forced.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("already done", forced.Stderr, StringComparison.Ordinal);
        Assert.Equal("d,version\n2025-01-01,2\n", await CsvAsync(Rows));

        await SucceedsAsync("backfill", "-s", "daily", "--from", "2025-01-01", "--to", "2025-01-02", "--vars", "{version: 3}");
        Assert.Equal("d,version\n2025-01-01,2\n2025-01-02,3\n", await CsvAsync(Rows));
        await SucceedsAsync("backfill", "-s", "daily", "--from", "2025-01-01", "--to", "2025-01-02", "--vars", "{version: 4}", "--force");
        Assert.Equal("d,version\n2025-01-01,4\n2025-01-02,4\n", await CsvAsync(Rows));
    }

    [Fact]
    public async Task Threads_sets_how_many_models_build_at_once_over_the_profiles_threads()
    {
        // A dbt project whose profile says one thread: only --threads can make its models overlap.
        var project = _temp.Combine("dbt");
        Write("dbt/dbt_project.yml", "name: waits\nprofile: waits\nmodels:\n  waits:\n    +materialized: table\n");
        Write("dbt/profiles.yml", "waits:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: warehouse.duckdb\n      threads: 1\n");
        string[] models = ["a", "b", "c"];
        foreach (var model in models)
        {
            Write($"dbt/models/{model}.sql", $"select {{% if var('pipes', '') %}}{GatePipes.ReadSql("this.name")}{{% else %}}0{{% endif %}} as n\n");
        }

        var plain = await SluiceProcess.RunAsync(project, "run");
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("with 1 thread(s)", plain.Stderr, StringComparison.Ordinal);

        await using var pipes = await GatePipes.CreateAsync(PipesFolder, models);
        await using var run = RunningSluice.Start(project, "run", "--threads", "2", "--vars", $"{{pipes: '{PipesFolder}'}}");

        await pipes.WaitForReadersAsync(2, run, "models built at once with --threads 2");
        var running = pipes.Reached;
        Assert.Equal(2, running.Count);
        await pipes.ReleaseAsync(running[0]);
        await pipes.WaitForReadersAsync(3, run, "the third model, once one of the two finished");
        await pipes.ReleaseAllAsync();
        var result = await run.WaitAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("with 2 thread(s)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("3 succeeded, 0 failed", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_concurrency_builds_that_many_partitions_of_a_model_at_once()
    {
        string[] days = ["2025-01-01", "2025-01-02", "2025-01-03"];
        Write("models/waits.sql",
            "{{ config(materialized='incremental', partition_by='d') }}\n"
            + $"select cast('{{{{ partition_start }}}}' as date) as d, {{% if var('pipes', '') %}}{GatePipes.ReadSql("partition_start")}{{% else %}}0{{% endif %}} as n\n");

        // The table is there before the backfill: a model's first partition creates it with a
        // query of its own, which would read a pipe too.
        await SucceedsAsync("run", "-s", "waits", "--date", "2024-12-31");
        await using var pipes = await GatePipes.CreateAsync(PipesFolder, days);
        await using var backfill = RunningSluice.Start(
            _temp.Path, "backfill", "-s", "waits", "--from", days[0], "--to", days[^1], "--concurrency", "2", "--vars", $"{{pipes: '{PipesFolder}'}}");

        await pipes.WaitForReadersAsync(2, backfill, "partitions built at once with --concurrency 2");
        var running = pipes.Reached;
        Assert.Equal(2, running.Count);
        await pipes.ReleaseAsync(running[0]);
        await pipes.WaitForReadersAsync(3, backfill, "the third partition, once one of the two finished");
        await pipes.ReleaseAllAsync();
        var result = await backfill.WaitAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("in 3 partition(s)", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(
            "d,n\n2024-12-31,0\n2025-01-01,1\n2025-01-02,1\n2025-01-03,1\n",
            await CsvAsync("select d, n from {{ ref('waits') }} order by d"));
    }

    [Theory]
    [InlineData("--threads", "0", "error: --threads must be between 1 and 1024.", "run")]
    [InlineData("--threads", "-2", "error: --threads must be between 1 and 1024.", "build")]
    [InlineData("--threads", "many", "error: --threads must be a whole number between 1 and 1024, not 'many'.", "snapshot")]
    [InlineData("--concurrency", "0", "error: --concurrency must be between 1 and 1024.", "backfill")]
    [InlineData("--concurrency", "-1", "error: --concurrency must be between 1 and 1024.", "backfill")]
    [InlineData("--concurrency", "two", "error: --concurrency must be a whole number between 1 and 1024, not 'two'.", "backfill")]
    public async Task A_bad_count_is_a_usage_error_naming_the_option(string option, string value, string error, string verb)
    {
        // Everything else on the line is right: the command would build without the bad value.
        string[] range = verb == "backfill" ? ["-s", "daily", "--from", "2025-01-01", "--to", "2025-01-01"] : [];
        await SucceedsAsync("seed");

        var result = await RunAsync([verb, .. range, option, value]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal([error], result.Stderr.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)));
        Assert.Equal($"{error}\nRun `sluice {verb} --help` for usage.\n", result.Stderr);
        Assert.Equal("runs\n0\n", await CsvAsync("select count(*) as runs from _sluice.job_runs where job_name <> 'people'"));
    }
}
