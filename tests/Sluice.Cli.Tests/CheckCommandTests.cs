using System.Text.Json;

namespace Sluice.Cli.Tests;

/// <summary><c>sluice test</c> and the checks of <c>sluice build</c> through the real CLI, on a small DuckDB project.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public CheckCommandTests()
    {
        Write("sluice.yml", "name: numbers\n");
        Write("seeds/numbers.csv", "n,label\n1,one\n2,two\n3,three\n");
        Write("models/stg_numbers.sql", "select n, upper(label) as label from {{ ref('numbers') }}\n");
        Write("models/totals.sql", "select sum(n) as total from {{ ref('stg_numbers') }}\n");
        Write("models/labels.sql", "select label from {{ ref('numbers') }}\n");
        Write("models/schema.yml", """
            version: 2
            models:
              - name: stg_numbers
                columns:
                  - name: n
                    tests: [not_null, unique]
                  - name: label
                    tests:
                      - accepted_values: {values: [ONE, TWO]}
            """);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Test_reports_json_for_ci_and_exits_with_1_on_an_error_failure()
    {
        Assert.Equal(0, (await RunAsync("seed")).ExitCode);
        Assert.Equal(0, (await RunAsync("run")).ExitCode);

        var result = await RunAsync("test", "--format", "json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var checks = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal("pass", checks["not_null_stg_numbers_n"].GetProperty("status").GetString());
        Assert.Equal("pass", checks["unique_stg_numbers_n"].GetProperty("status").GetString());
        var failed = checks["accepted_values_stg_numbers_label"];
        Assert.Equal("fail", failed.GetProperty("status").GetString());
        Assert.Equal((1, 3), (failed.GetProperty("failing_rows").GetInt64(), failed.GetProperty("rows_in_scope").GetInt64()));
        var sample = failed.GetProperty("sample").EnumerateArray().Single();
        Assert.Equal((3, "THREE"), (sample.GetProperty("n").GetInt64(), sample.GetProperty("label").GetString()));
        Assert.Contains("2 passed, 0 warned, 1 failed, 0 errors, 0 skipped", result.Stderr);

        var selected = await RunAsync("test", "--select", "not_null_stg_numbers_n");
        Assert.True(selected.ExitCode == 0, selected.ToString());
        Assert.Contains("1 passed, 0 warned, 0 failed", selected.Stderr);
    }

    [Fact]
    public async Task Build_runs_each_models_checks_after_it_and_skips_the_dependants_of_a_failure()
    {
        var result = await RunAsync("build");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("FAIL    accepted_values_stg_numbers_label", result.Stderr);
        Assert.Contains("SKIPPED", result.Stderr);
        Assert.Contains("skipped because the check 'accepted_values_stg_numbers_label' on 'stg_numbers' failed", result.Stderr);
        Assert.Contains("accepted_values_stg_numbers_label", result.Stdout);
        var query = await RunAsync("query", "select count(*) as n from {{ ref('labels') }}", "--format", "csv");
        Assert.Equal("n\n3\n", query.Stdout);
        var missing = await RunAsync("query", "select * from {{ ref('totals') }}");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("totals", missing.Stderr);
    }

    [Fact]
    public async Task The_table_of_checks_that_did_not_pass_shows_a_few_failing_rows()
    {
        Assert.Equal(0, (await RunAsync("seed")).ExitCode);
        Assert.Equal(0, (await RunAsync("run")).ExitCode);

        var result = await RunAsync("test");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("accepted_values_stg_numbers_label (1 of 1):", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("    n: 3, label: THREE", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rebuild_with_nothing_new_prints_no_table_of_skipped_checks()
    {
        Write("models/daily.sql", "{{ config(materialized='incremental', partition_by='d') }}\nselect date '{{ partition_start }}' as d, 1 as n\n");
        Write("models/daily.yml", "version: 2\nmodels:\n  - name: daily\n    columns:\n      - name: n\n        tests: [not_null]\n");
        var first = await RunAsync("build", "--select", "daily", "--from", "2025-01-01", "--to", "2025-01-02");
        Assert.True(first.ExitCode == 0, first.ToString());

        var again = await RunAsync("build", "--select", "daily", "--from", "2025-01-01", "--to", "2025-01-02");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("0 failed, 0 errors, 1 skipped", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, again.Stdout.Trim());
    }

    [Fact]
    public async Task A_missing_column_stops_test_before_any_check_runs()
    {
        Assert.Equal(0, (await RunAsync("build", "--exclude", "stg_numbers+")).ExitCode);
        Assert.Equal(0, (await RunAsync("run", "--select", "stg_numbers")).ExitCode);
        Write("models/schema.yml", "version: 2\nmodels:\n  - name: stg_numbers\n    columns:\n      - name: nn\n        tests: [not_null]\n");

        var result = await RunAsync("test");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: models/schema.yml:6: check 'not_null_stg_numbers_nn' names the column 'nn', which ref('stg_numbers') does not have (its columns are n, label); fix the column name.", result.Stderr);
        Assert.Contains("nothing was run", result.Stderr);
        var results = await RunAsync("query", "select count(*) as n from _sluice.check_results", "--format", "csv");
        Assert.Equal("n\n0\n", results.Stdout);
    }

    private void Write(string path, string text)
    {
        var full = _temp.Combine(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private Task<SluiceResult> RunAsync(params string[] arguments) => SluiceProcess.RunAsync(_temp.Path, arguments);
}
