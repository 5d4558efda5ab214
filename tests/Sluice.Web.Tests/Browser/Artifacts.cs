namespace Sluice.Web.Tests.Browser;

/// <summary>Where the browser tests leave what people look at: screenshots of every page they opened.</summary>
public static class Artifacts
{
    /// <summary>The environment variable that names the screenshots' folder.</summary>
    public const string Variable = "SLUICE_SCREENSHOTS";

    /// <summary>Set to 1 to refresh the screenshot the README shows (docs/images/dashboard-operations.png).</summary>
    public const string UpdateVariable = "SLUICE_UPDATE_SCREENSHOTS";

    /// <summary>The folder of the screenshots: $SLUICE_SCREENSHOTS, or TestResults/screenshots beside the test assembly.</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path
            ? path
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;

    /// <summary>True when the documentation's screenshots are to be written again.</summary>
    public static bool UpdateDocumentation => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>A file of the repository, found from the test assembly's folder upwards.</summary>
    public static string InRepository(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Sluice.slnx")))
            {
                return Path.Combine(directory.FullName, relative);
            }
        }

        throw new InvalidOperationException($"no Sluice.slnx above {AppContext.BaseDirectory}; cannot place {relative}.");
    }
}
