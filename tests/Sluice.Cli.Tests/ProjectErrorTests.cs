namespace Sluice.Cli.Tests;

public class ProjectErrorTests
{
    [Fact]
    public async Task Missing_project_exits_2_and_says_how_to_create_one()
    {
        using var temp = new TempDirectory();

        var result = await SluiceProcess.RunAsync(temp.Path, "query", "select 1");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"error: No sluice.yml (or dbt_project.yml) in {temp.Path}; run `sluice init {temp.Path}` to create a project, or pass --project-dir.\n",
            result.Stderr);
    }

    [Fact]
    public async Task Project_dir_option_points_at_the_project()
    {
        using var temp = new TempDirectory();
        await SluiceProcess.RunAsync(temp.Path, "init", "shop");

        var result = await SluiceProcess.RunAsync(Path.GetTempPath(), "query", "select 1 as one", "--format", "json", "--project-dir", temp.Combine("shop"));

        Assert.Equal("[{\"one\":1}]\n", result.Stdout);
    }

    [Fact]
    public async Task Malformed_sluice_yml_exits_2_naming_file_and_line()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("sluice.yml"), "name: shop\nwarehouse:\n  type: duckdb\n   path: x.duckdb\n");

        var result = await SluiceProcess.RunAsync(temp.Path, "query", "select 1");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: {temp.Combine("sluice.yml")}:4:", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Unknown_key_in_sluice_yml_exits_2_naming_the_line()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("sluice.yml"), "name: shop\nwarehose:\n  type: duckdb\n");

        var result = await SluiceProcess.RunAsync(temp.Path, "debug");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: {temp.Combine("sluice.yml")}:2:1: unknown key 'warehose'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_environment_variable_exits_2_naming_it()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("sluice.yml"), "warehouse:\n  type: duckdb\n  path: ${SLUICE_TEST_UNSET_DIR}/w.duckdb\n");

        var result = await SluiceProcess.RunAsync(temp.Path, ["query", "select 1"], null, new Dictionary<string, string?> { ["SLUICE_TEST_UNSET_DIR"] = null });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("sluice.yml:3:9: environment variable SLUICE_TEST_UNSET_DIR is not set", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_variables_reach_the_configuration()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("sluice.yml"), "warehouse:\n  type: duckdb\n  path: ${SLUICE_TEST_DATA_DIR}/w.duckdb\n");

        var result = await SluiceProcess.RunAsync(temp.Path, ["debug"], null, new Dictionary<string, string?> { ["SLUICE_TEST_DATA_DIR"] = "data" });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(temp.Combine("data", "w.duckdb"), result.Stdout, StringComparison.Ordinal);
    }
}
