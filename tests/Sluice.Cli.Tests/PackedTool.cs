using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Sluice.Cli.Tests;

/// <summary>
/// Sluice packed as a .NET tool from this checkout, once per test class, into a temp folder: the
/// build goes to a folder of its own (as the launcher's does), the packages to another, and a
/// nuget.config that lists only that folder, so that installing needs no other package source.
/// </summary>
public sealed partial class PackedTool : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    private readonly TempDirectory _temp = new();

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The platform this machine's build and package are for.</summary>
    public static string RuntimeIdentifier => RuntimeInformation.RuntimeIdentifier;

    public string Folder => _temp.Path;

    public string Packages => _temp.Combine("packages");

    public string NuGetConfig => _temp.Combine("nuget.config");

    /// <summary>A NuGet cache of the tests' own, so that a package of an earlier run with the same version is never reused.</summary>
    public string NuGetCache => _temp.Combine("nuget-cache");

    /// <summary>Touched just before the build started.</summary>
    public string BuildStamp => _temp.Combine("build.stamp");

    public string PackOutput { get; private set; } = "";

    /// <summary>The folder given to `dotnet tool install --tool-path`.</summary>
    public string ToolPath => _temp.Combine("tools");

    public SluiceResult? Install { get; private set; }

    /// <summary>
    /// Environment for dotnet and the tool: this fixture's NuGet cache and .NET CLI home, and no
    /// other DuckDB library. The CLI home holds the cache that maps a local tool's name and
    /// version to its files; a shared one would still point at an earlier run's deleted cache.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = NuGetCache,
        ["DOTNET_CLI_HOME"] = _temp.Combine("dotnet-home"),
        ["DUCKDB_LIBRARY"] = null,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Packages);
        File.WriteAllText(BuildStamp, "");
        File.SetLastWriteTimeUtc(BuildStamp, DateTime.UtcNow);
        var pack = await ToolProcess.RunAsync(
            "dotnet",
            ["pack", Path.Combine(RepositoryRoot, "src", "Sluice.Cli", "Sluice.Cli.csproj"), "-c", "Release", "-o", Packages,
             "--artifacts-path", _temp.Combine("artifacts"), "-nologo", "-v", "quiet", "-tl:off"],
            RepositoryRoot,
            PackTimeout);
        PackOutput = pack.ToString();
        File.WriteAllText(NuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="sluice" value="{Packages}" />
              </packageSources>
            </configuration>
            """);
        if (File.Exists(PlatformPackage))
        {
            Install = await ToolProcess.RunAsync(
                "dotnet", ["tool", "install", "sluice", "--tool-path", ToolPath, "--configfile", NuGetConfig], _temp.Path, InstallTimeout, Environment);
        }
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Fails the test with dotnet pack's output unless both packages were made.</summary>
    public void AssertPacked()
    {
        Assert.True(
            File.Exists(Path.Combine(Packages, "sluice.0.1.0.nupkg")) && File.Exists(PlatformPackage),
            $"`dotnet pack src/Sluice.Cli` did not make sluice.0.1.0.nupkg and sluice.{RuntimeIdentifier}.0.1.0.nupkg in {Packages}:\n{PackOutput}");
    }

    public string PlatformPackage => Path.Combine(Packages, $"sluice.{RuntimeIdentifier}.0.1.0.nupkg");

    /// <summary>The DuckDB library for this platform in the NuGet package the build takes it from.</summary>
    public static string NuGetDuckDbLibrary()
    {
        var version = PackageVersionPattern().Match(File.ReadAllText(Path.Combine(RepositoryRoot, "Directory.Packages.props"))).Groups[1].Value;
        var cache = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var runtime = OperatingSystem.IsMacOS() ? "osx" : RuntimeIdentifier;
        return Path.Combine(cache, "duckdb.net.bindings.full", version, "runtimes", runtime, "native", DuckDbFileName);
    }

    public static string DuckDbFileName =>
        OperatingSystem.IsWindows() ? "duckdb.dll" : OperatingSystem.IsMacOS() ? "libduckdb.dylib" : "libduckdb.so";

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Sluice.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Sluice.slnx above {AppContext.BaseDirectory}; the tests run from a build inside the checkout.");
    }

    [GeneratedRegex(@"Include=""DuckDB\.NET\.Bindings\.Full"" Version=""([^""]+)""")]
    private static partial Regex PackageVersionPattern();
}
