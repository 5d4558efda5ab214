namespace Sluice.Cli.Tests;

public class QueryTests(DuckDbProject project) : IClassFixture<DuckDbProject>
{
    [Fact]
    public async Task Query_prints_json_rows()
    {
        var result = await project.RunAsync("query", "select 42 as answer", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("[{\"answer\":42}]\n", result.Stdout);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Query_json_keeps_value_types()
    {
        var result = await project.RunAsync(
            "query",
            """
            select 9223372036854775807::bigint * 4::hugeint as huge, 12.50::decimal(10,2) as price, 0.25::double as ratio,
                   true as flag, null as nothing, 'ü "q"' as text, date '2024-02-29' as day,
                   timestamptz '2024-01-02 03:04:05+00' as at, 'abc'::blob as bytes, [1, 2] as list
            """,
            "--format", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            """[{"huge":36893488147419103228,"price":12.50,"ratio":0.25,"flag":true,"nothing":null,"text":"ü \"q\"","day":"2024-02-29","at":"2024-01-02T03:04:05Z","bytes":"YWJj","list":"[1, 2]"}]""" + "\n",
            result.Stdout);
    }

    [Fact]
    public async Task Query_prints_empty_json_array_for_no_rows()
    {
        var result = await project.RunAsync("query", "select 1 as x where false", "--format", "json");

        Assert.Equal("[]\n", result.Stdout);
    }

    [Fact]
    public async Task Query_prints_csv_quoted_as_rfc_4180_with_crlf_when_asked()
    {
        var result = await project.RunAsync(
            "query", "select 1 as id, 'a,b' as comma, 'say \"hi\"' as quote, E'two\\nlines' as lines, null as missing, '' as empty", "--format", "csv", "--crlf");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("id,comma,quote,lines,missing,empty\r\n1,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\"\"\r\n", result.Stdout);
    }

    [Fact]
    public async Task Query_csv_ends_lines_as_the_platform_does_like_psql_and_duckdb()
    {
        var result = await project.RunAsync("query", "select 1 as id, E'two\\nlines' as lines", "--format", "csv");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"id,lines{Environment.NewLine}1,\"two\nlines\"{Environment.NewLine}", result.Stdout);
    }

    [Fact]
    public async Task Query_prints_an_aligned_table()
    {
        var result = await project.RunAsync("query", "select * from (values (1, 'one'), (1000, 'a thousand')) t(n, name) order by n");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.All(lines, line => Assert.Equal(lines[0].Length, line.Length));
        Assert.Contains("│    1 │ one        │", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("│ 1000 │ a thousand │", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_limit_caps_the_rows_printed()
    {
        var json = await project.RunAsync("query", "select * from range(10) t(i)", "--format", "json", "--limit", "3");
        var csv = await project.RunAsync("query", "select * from range(10) t(i)", "--format", "csv", "--limit", "2");

        Assert.Equal("[{\"i\":0},{\"i\":1},{\"i\":2}]\n", json.Stdout);
        Assert.Equal("i\n0\n1\n", csv.Stdout);
    }

    [Fact]
    public async Task Query_table_notes_truncation_on_stderr()
    {
        var truncated = await project.RunAsync("query", "select * from range(10) t(i)", "--limit", "4");
        var complete = await project.RunAsync("query", "select * from range(4) t(i)", "--limit", "4");

        Assert.Equal(0, truncated.ExitCode);
        Assert.Contains("│ 3 │", truncated.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("│ 4 │", truncated.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("note: showing the first 4 rows", truncated.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, complete.Stderr);
    }

    [Fact]
    public async Task Query_table_stops_at_1000_rows_without_limit_and_says_so_on_stderr()
    {
        var over = await project.RunAsync("query", "select i from range(1500) t(i) order by i");
        var exactly = await project.RunAsync("query", "select i from range(1000) t(i) order by i");

        Assert.True(over.ExitCode == 0, over.ToString());
        Assert.Equal(Enumerable.Range(0, 1000), TableValues(over.Stdout));
        Assert.Equal("note: showing the first 1000 rows; pass --limit N to see more, or --format csv to stream them all.\n", over.Stderr);
        Assert.True(exactly.ExitCode == 0, exactly.ToString());
        Assert.Equal(Enumerable.Range(0, 1000), TableValues(exactly.Stdout));
        Assert.Equal(string.Empty, exactly.Stderr);
    }

    [Fact]
    public async Task Query_csv_and_json_print_every_row_past_the_tables_1000()
    {
        var csv = await project.RunAsync("query", "select i from range(1500) t(i) order by i", "--format", "csv");
        var json = await project.RunAsync("query", "select i from range(1500) t(i) order by i", "--format", "json");
        var table = await project.RunAsync("query", "select i from range(1500) t(i) order by i", "--limit", "1200");

        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Equal("i\n" + string.Concat(Enumerable.Range(0, 1500).Select(i => $"{i}\n")), csv.Stdout);
        Assert.Equal(string.Empty, csv.Stderr);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(Enumerable.Range(0, 1500), System.Text.Json.JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().Select(r => r.GetProperty("i").GetInt32()));
        Assert.Equal(string.Empty, json.Stderr);
        Assert.Equal(Enumerable.Range(0, 1200), TableValues(table.Stdout));
        Assert.StartsWith("note: showing the first 1200 rows", table.Stderr, StringComparison.Ordinal);
    }

    // The numbers in the body rows of a one-column table, read off the drawn lines.
    private static List<int> TableValues(string table) =>
        [.. table.Split('\n')
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^│\s*(\d+)\s*│$"))
            .Where(match => match.Success)
            .Select(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task Query_reports_rows_affected_by_a_statement()
    {
        var result = await project.RunAsync(
            "query", "create or replace table main.numbers (i bigint); insert into main.numbers select * from range(3)", "--format", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("{\"rows_affected\":3}\n", result.Stdout);
    }

    [Fact]
    public async Task Query_reads_sql_from_standard_input()
    {
        var result = await SluiceProcess.RunAsync(project.Directory, ["query", "-", "--format", "json"], "select 'piped' as source", null);

        Assert.Equal("[{\"source\":\"piped\"}]\n", result.Stdout);
    }

    [Fact]
    public async Task Query_syntax_error_exits_2_with_duckdbs_message()
    {
        var result = await project.RunAsync("query", "selec 42");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal("error: the query failed: Parser Error: syntax error at or near \"selec\"; fix the SQL and run it again.\n", result.Stderr);
    }

    [Fact]
    public async Task Query_on_a_missing_table_exits_2()
    {
        var result = await project.RunAsync("query", "select * from no_such_table");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Catalog Error", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Verbose_error_adds_the_stack_trace()
    {
        var result = await project.RunAsync("query", "selec 42", "--verbose");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: the query failed: Parser Error", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("WarehouseException", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
