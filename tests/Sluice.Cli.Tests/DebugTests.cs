namespace Sluice.Cli.Tests;

public class DebugTests(DuckDbProject project) : IClassFixture<DuckDbProject>
{
    [Fact]
    public async Task Debug_on_a_good_project_reports_duckdb_and_exits_0()
    {
        var result = await project.RunAsync("debug");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"(?m)^warehouse\s+duckdb$", result.Stdout);
        Assert.Matches(@"(?m)^engine\s+DuckDB v\d", result.Stdout);
        Assert.Matches(@"(?m)^connection\s+OK$", result.Stdout);
        Assert.Matches(@"(?m)^_sluice schema\s+version \d+ \(latest\)$", result.Stdout);
        Assert.Contains(Path.Combine(project.Directory, "warehouse.duckdb"), result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Debug_on_an_unreachable_warehouse_exits_1_without_the_password()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("sluice.yml"), "warehouse:\n  type: postgres\n  url: postgres://sluice:${SLUICE_TEST_PASSWORD}@127.0.0.1:1/analytics\n");

        var result = await SluiceProcess.RunAsync(temp.Path, ["debug", "--verbose"], null, new Dictionary<string, string?> { ["SLUICE_TEST_PASSWORD"] = "hunter2" });

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"(?m)^connection\s+FAILED$", result.Stdout);
        Assert.Contains("postgres://sluice:***@127.0.0.1:1/analytics", result.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("error: cannot reach the warehouse:", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "does not exist")]
    [InlineData(true, "could not be loaded")]
    public async Task A_missing_duckdb_library_is_one_line_that_says_how_to_fix_it(bool fileExists, string expected)
    {
        // A file of the test's own that is not a library, rather than one the machine may lack.
        using var temp = new TempDirectory();
        var library = temp.Combine("libduckdb.so");
        if (fileExists)
        {
            File.WriteAllText(library, "text, not a shared library\n");
        }

        var result = await SluiceProcess.RunAsync(project.Directory, ["query", "select 1"], null, new Dictionary<string, string?> { ["DUCKDB_LIBRARY"] = library });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("DUCKDB_LIBRARY", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}
