using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Project;

/// <summary>Reads and validates a project's sluice.yml.</summary>
public static partial class ProjectLoader
{
    /// <summary>
    /// Loads the project in <paramref name="projectDirectory"/>. Every problem is a
    /// <see cref="ConfigurationException"/> whose message starts with <c>path:line:column: </c>
    /// and says what to change. <paramref name="environment"/> resolves <c>${VAR}</c>
    /// references; it defaults to the process environment.
    /// </summary>
    public static SluiceProject Load(string projectDirectory, Func<string, string?>? environment = null)
    {
        var directory = Path.GetFullPath(projectDirectory);
        var configPath = Path.Combine(directory, SluiceProject.FileName);
        var dbtPath = Path.Combine(directory, SluiceProject.DbtFileName);
        environment ??= Environment.GetEnvironmentVariable;
        if (!File.Exists(configPath))
        {
            return File.Exists(dbtPath)
                ? LoadDbt(directory, dbtPath, environment)
                : throw new ConfigurationException(
                    $"No {SluiceProject.FileName} (or {SluiceProject.DbtFileName}) in {directory}; run `sluice init {directory}` to create a project, or pass --project-dir.");
        }

        var file = new ConfigFile(configPath, environment);
        var root = Parse(file, File.ReadAllText(configPath));
        var sections = file.ReadMapping(root, SluiceProject.FileName, SluiceProject.TopLevelKeys);

        var name = sections.TryGetValue("name", out var nameEntry)
            ? ReadName(file, nameEntry.Value)
            : DefaultName(directory);
        var warehouse = sections.TryGetValue("warehouse", out var warehouseEntry)
            ? WarehouseSettingsReader.Read(file, warehouseEntry.Value)
            : WarehouseSettingsReader.Default;
        var deferred = sections
            .Where(s => SluiceProject.DeferredKeys.Contains(s.Key))
            .ToDictionary(s => s.Key, s => s.Value.Value, StringComparer.Ordinal);

        return new SluiceProject(name, directory, configPath, warehouse, deferred)
        {
            Environment = environment,
            DbtProjectPath = File.Exists(dbtPath) ? dbtPath : null,
            DefaultSchema = EngineDefaultSchema(warehouse),
        };
    }

    /// <summary>The schema an engine puts tables in when none is named.</summary>
    public static string EngineDefaultSchema(WarehouseSettings warehouse) => warehouse switch
    {
        PostgresWarehouseSettings => "public",
        ClickHouseWarehouseSettings clickHouse => clickHouse.Database,
        _ => "main",
    };

    // A dbt project without sluice.yml: its name and profile come from dbt_project.yml, its
    // warehouse from the profile's target; the rest of dbt_project.yml is the models' business.
    private static SluiceProject LoadDbt(string directory, string dbtPath, Func<string, string?> environment)
    {
        var file = new ConfigFile(dbtPath, environment);
        var root = Parse(file, File.ReadAllText(dbtPath));
        string? Scalar(string key) => root.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: { } k } && k == key).Value is YamlScalarNode { Value: { } v } ? v : null;

        var name = Scalar("name") ?? throw file.Error(root, $"{SluiceProject.DbtFileName} needs a name; add `name: {ProjectNames.FromFolderName(Path.GetFileName(directory))}`.");
        var profileName = Scalar("profile") ?? name;
        var target = DbtProfiles.Find(directory, profileName, environment, out var missing);
        var notices = new List<string>();
        if (target is null)
        {
            var fallback = WarehouseSettingsReader.Default;
            notices.Add($"{missing}; using the embedded DuckDB file {Path.Combine(directory, WarehouseSettingsReader.DefaultDuckDbPath)}.");
            target = new DbtTarget(fallback, "main", "default", null);
        }

        return new SluiceProject(ValidName().IsMatch(name) ? name : ProjectNames.FromFolderName(name), directory, dbtPath, target.Warehouse, new Dictionary<string, YamlNode>())
        {
            Environment = environment,
            DbtProjectPath = dbtPath,
            DefaultSchema = target.Schema,
            TargetName = target.TargetName,
            Threads = target.Threads,
            Notices = notices,
        };
    }

    private static YamlMappingNode Parse(ConfigFile file, string text)
    {
        var root = file.Parse(text)
            ?? throw file.Error(Mark.Empty, "the file is empty; write at least `name: <project>`, or run `sluice init` in a new folder to get a commented example.");
        return root as YamlMappingNode
            ?? throw file.Error(root, $"{Path.GetFileName(file.Path)} must be a mapping of keys (such as {string.Join(", ", SluiceProject.TopLevelKeys)}) to values.");
    }

    private static string ReadName(ConfigFile file, YamlNode node)
    {
        var name = file.ReadString(node, "name");
        return ValidName().IsMatch(name)
            ? name
            : throw file.Error(node, $"the project name '{name}' must start with a letter or '_' and use only letters, digits, '_' and '-'.");
    }

    // A folder name is not always a valid project name ("My Project"), so the default is reduced
    // to the same alphabet an explicit name must use.
    private static string DefaultName(string directory)
    {
        var folder = Path.GetFileName(directory.TrimEnd(Path.DirectorySeparatorChar));
        return ProjectNames.FromFolderName(folder);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex ValidName();
}
