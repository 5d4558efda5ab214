namespace Sluice.Cli.Tests;

public class InitTests
{
    [Fact]
    public async Task Init_creates_the_project_files_and_the_warehouse()
    {
        using var temp = new TempDirectory();

        var result = await SluiceProcess.RunAsync(temp.Path, "init", "My Shop");

        Assert.True(result.ExitCode == 0, result.ToString());
        var project = temp.Combine("My Shop");
        Assert.Contains("name: my_shop", File.ReadAllText(Path.Combine(project, "sluice.yml")), StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(project, "models", "staging")));
        Assert.True(Directory.Exists(Path.Combine(project, "models", "marts")));
        Assert.Contains("*.duckdb", File.ReadAllText(Path.Combine(project, ".gitignore")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project, "README.md")));
        Assert.True(File.Exists(Path.Combine(project, "warehouse.duckdb")));
        Assert.Contains("_sluice schema version", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("sluice query \"select 42 as answer\"", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_creates_the_sluice_schema_at_the_latest_version()
    {
        using var temp = new TempDirectory();
        await SluiceProcess.RunAsync(temp.Path, "init", "shop");

        var result = await SluiceProcess.RunAsync(temp.Combine("shop"), "query", "select max(version) as v from _sluice.schema_version", "--format", "csv");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"v\n{Sluice.Warehouses.Metadata.MetadataSchema.LatestVersion}\n", result.Stdout);
    }

    [Fact]
    public async Task Init_keeps_files_that_exist_already()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("README.md"), "mine\n");

        var result = await SluiceProcess.RunAsync(temp.Path, "init", ".");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("mine\n", File.ReadAllText(temp.Combine("README.md")));
        Assert.True(File.Exists(temp.Combine("sluice.yml")));
    }

    [Fact]
    public async Task Init_refuses_a_folder_that_is_a_project_already()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("sluice.yml"), "name: keep_me\n");

        var result = await SluiceProcess.RunAsync(temp.Path, "init", temp.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: {temp.Path} is a Sluice project already", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("name: keep_me\n", File.ReadAllText(temp.Combine("sluice.yml")));
    }

    [Fact]
    public async Task Init_run_through_the_checkout_launcher_names_it_from_the_new_project()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("sluice"), "#!/bin/sh\n");

        var result = await SluiceProcess.RunAsync(
            temp.Path, ["init", "shop"], standardInput: null, new Dictionary<string, string?> { ["SLUICE_LAUNCHER"] = temp.Combine("sluice") });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\n  ../sluice query \"select 42 as answer\"", result.Stdout, StringComparison.Ordinal);
    }
}
