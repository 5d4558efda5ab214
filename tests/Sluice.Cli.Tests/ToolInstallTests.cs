using System.IO.Compression;
using System.Security.Cryptography;

namespace Sluice.Cli.Tests;

/// <summary>
/// Sluice as a .NET tool: `dotnet pack` of the CLI makes a package that `dotnet tool install`
/// takes from that folder alone, whose `sluice` runs the demo with the DuckDB library of the NuGet
/// package DuckDB.NET.Bindings.Full, and whose `init` names the tool as the user reaches it. The
/// same build shows that building the CLI writes nothing the checkout's launcher counts as a change.
/// </summary>
public class ToolInstallTests(PackedTool tool) : IClassFixture<PackedTool>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private string Sluice => Path.Combine(tool.ToolPath, OperatingSystem.IsWindows() ? "sluice.exe" : "sluice");

    [Fact]
    public async Task Installed_tool_runs_the_demo_with_the_duckdb_library_from_nuget()
    {
        AssertInstalled();
        var demo = Path.Combine(tool.Folder, "demo");

        var result = await ToolProcess.RunAsync(Sluice, ["demo", "--no-serve", "--days", "3", "--dir", demo], tool.Folder, RunTimeout, tool.Environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ApplyLens demo in", result.Stdout, StringComparison.Ordinal);
        var libraries = Directory.GetFiles(tool.ToolPath, PackedTool.DuckDbFileName, SearchOption.AllDirectories);
        var library = Assert.Single(libraries);
        Assert.Equal(Hash(PackedTool.NuGetDuckDbLibrary()), Hash(library));
    }

    [Fact]
    public void Platform_package_carries_one_duckdb_library_the_one_for_this_platform()
    {
        tool.AssertPacked();
        using var package = ZipFile.OpenRead(tool.PlatformPackage);

        var libraries = package.Entries.Where(entry => entry.Name is "libduckdb.so" or "libduckdb.dylib" or "duckdb.dll").ToList();

        var library = Assert.Single(libraries);
        Assert.Equal($"tools/net10.0/{PackedTool.RuntimeIdentifier}/{PackedTool.DuckDbFileName}", library.FullName);
        using var bytes = library.Open();
        Assert.Equal(Hash(PackedTool.NuGetDuckDbLibrary()), Convert.ToHexString(SHA256.HashData(bytes)));
    }

    [Fact]
    public async Task Init_names_the_tool_as_it_is_reached()
    {
        AssertInstalled();
        var elsewhere = new Dictionary<string, string?>(tool.Environment) { ["PATH"] = "/usr/bin:/bin" };
        var onPath = new Dictionary<string, string?>(tool.Environment)
        {
            ["PATH"] = $"{tool.ToolPath}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}",
        };

        var byPath = await ToolProcess.RunAsync(Sluice, ["init", "by-path"], tool.Folder, RunTimeout, elsewhere);
        var byName = await ToolProcess.RunAsync(Sluice, ["init", "by-name"], tool.Folder, RunTimeout, onPath);

        Assert.True(byPath.ExitCode == 0, byPath.ToString());
        Assert.Contains($"\n  {Sluice} query \"select 42 as answer\"", byPath.Stdout, StringComparison.Ordinal);
        Assert.True(byName.ExitCode == 0, byName.ToString());
        Assert.Contains("\n  sluice query \"select 42 as answer\"", byName.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_tool_manifest_installs_it_as_dotnet_sluice()
    {
        tool.AssertPacked();
        var project = Directory.CreateDirectory(Path.Combine(tool.Folder, "local")).FullName;

        var manifest = await ToolProcess.RunAsync("dotnet", ["new", "tool-manifest"], project, RunTimeout, tool.Environment);
        var install = await ToolProcess.RunAsync("dotnet", ["tool", "install", "sluice", "--configfile", tool.NuGetConfig], project, RunTimeout, tool.Environment);
        var init = await ToolProcess.RunAsync("dotnet", ["sluice", "init", "shop"], project, RunTimeout, tool.Environment);

        Assert.True(manifest.ExitCode == 0, manifest.ToString());
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("\n  dotnet sluice query \"select 42 as answer\"", init.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Building_the_cli_changes_nothing_the_launcher_counts_so_its_next_call_starts_warm()
    {
        tool.AssertPacked();

        // The launcher's own test of its inputs, against a stamp taken before this build.
        var changed = await ToolProcess.RunAsync(
            "bash",
            ["-c", "source \"$1\"; stamp=\"$2\"; changed_since_stamp", "launcher-check", Path.Combine(PackedTool.RepositoryRoot, "sluice"), tool.BuildStamp],
            PackedTool.RepositoryRoot,
            RunTimeout);

        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.True(
            changed.Stdout.Length == 0,
            $"After `dotnet pack src/Sluice.Cli` the launcher sees a change, so it would build again on every call: {changed.Stdout.Trim()} " +
            "(a file the build writes outside bin/ and obj/, or an edit made while the test ran).");
    }

    private void AssertInstalled()
    {
        tool.AssertPacked();
        Assert.True(tool.Install is { ExitCode: 0 }, $"`dotnet tool install sluice --tool-path {tool.ToolPath}` from the packed folder failed:\n{tool.Install}");
    }

    private static string Hash(string path)
    {
        Assert.True(File.Exists(path), $"{path} is missing");
        using var file = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(file));
    }
}
