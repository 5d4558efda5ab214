namespace Sluice.Core.Tests.Project;

/// <summary>A temp folder with a sluice.yml, deleted after the test.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject(string? yaml = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("sluice-core-").FullName;
        if (yaml is not null)
        {
            File.WriteAllText(ConfigPath, yaml);
        }
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "sluice.yml");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
