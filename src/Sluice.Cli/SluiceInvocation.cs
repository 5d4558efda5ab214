namespace Sluice.Cli;

/// <summary>
/// What a user types to run this copy of Sluice again, for messages that suggest a next command:
/// the checkout's launcher (which says where it is in <c>SLUICE_LAUNCHER</c>), <c>sluice</c> when
/// a tool on PATH answers to that name, the tool's shim by its path when its folder is not on
/// PATH, <c>dotnet sluice</c> for a tool of a local tool manifest.
/// </summary>
internal static class SluiceInvocation
{
    public const string LauncherVariable = "SLUICE_LAUNCHER";

    private const string CommandName = "sluice";

    /// <summary>The command, as typed from <paramref name="workingDirectory"/>.</summary>
    public static string Command(string workingDirectory) =>
        Command(
            workingDirectory,
            Environment.GetEnvironmentVariable(LauncherVariable),
            Environment.GetEnvironmentVariable("PATH"),
            AppContext.BaseDirectory,
            File.Exists);

    /// <summary>The command, decided from what it is given; <see cref="Command(string)"/> passes the process's own.</summary>
    public static string Command(string workingDirectory, string? launcher, string? path, string baseDirectory, Func<string, bool> fileExists)
    {
        if (!string.IsNullOrEmpty(launcher) && fileExists(launcher))
        {
            var relative = Path.GetRelativePath(workingDirectory, launcher);
            var shorter = relative.Length < launcher.Length ? relative : launcher;
            // A bare name would be looked up on PATH instead of run from here.
            return ShellQuote.Path(shorter.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) ? shorter : $".{Path.DirectorySeparatorChar}{shorter}");
        }

        var toolFolder = ToolFolder(baseDirectory);
        if (toolFolder is null)
        {
            // A development build (dotnet run, tests): the name the docs use.
            return CommandName;
        }

        if (OnPath(path, fileExists))
        {
            return CommandName;
        }

        // A global or --tool-path tool lives in <folder>/.store/ beside its shim <folder>/sluice;
        // a local tool lives in the NuGet package cache and runs through its manifest.
        var parts = toolFolder.Split(Path.DirectorySeparatorChar);
        var store = Array.LastIndexOf(parts, ".store");
        if (store > 0)
        {
            return ShellQuote.Path(Path.Combine(string.Join(Path.DirectorySeparatorChar, parts[..store]), ShimName()));
        }

        return $"dotnet {CommandName}";
    }

    /// <summary>The folder of a tool package's files (…/tools/net10.0/&lt;rid&gt;/), or null when Sluice runs from a build.</summary>
    private static string? ToolFolder(string baseDirectory)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(baseDirectory);
        var parts = trimmed.Split(Path.DirectorySeparatorChar);
        return parts.Length >= 3 && parts[^3] == "tools" && parts[^2].StartsWith("net", StringComparison.Ordinal) ? trimmed : null;
    }

    private static bool OnPath(string? path, Func<string, bool> fileExists) =>
        !string.IsNullOrEmpty(path) && path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => fileExists(Path.Combine(folder, ShimName())));

    private static string ShimName() => OperatingSystem.IsWindows() ? $"{CommandName}.exe" : CommandName;
}
