namespace Sluice.Dashboards.Tests;

/// <summary>A throwaway project folder holding dashboards/*.yml.</summary>
internal sealed class DashboardFiles : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sluice-dashboards-").FullName;

    public string Write(string name, string yaml)
    {
        var folder = Path.Combine(Directory, DashboardReader.Folder);
        System.IO.Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    public IReadOnlyList<Dashboard> Read() => DashboardReader.Read(Directory, Catalogs.Shop, _ => null);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
