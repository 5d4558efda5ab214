using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Models;

/// <summary>
/// Where a project keeps its models, seeds, snapshots and checks, its vars and its folder-level
/// configs: from dbt_project.yml when the project has one, else from sluice.yml (same keys).
/// </summary>
/// <param name="ProjectName">The project's name (the package name in dbt_project.yml).</param>
/// <param name="ConfigFileName">The file the settings came from, relative to the project.</param>
/// <param name="IsDbt">True for a dbt project: custom schemas are named as dbt names them, snapshots use dbt's columns.</param>
/// <param name="ModelPaths">Folders of model .sql files (and property .yml files).</param>
/// <param name="SeedPaths">Folders of seed .csv files.</param>
/// <param name="SnapshotPaths">Folders of snapshot .sql files.</param>
/// <param name="TestPaths">Folders of singular check .sql files.</param>
/// <param name="MacroPaths">Folders of macros, which Sluice does not run: any macro there is an error.</param>
/// <param name="Vars">The project's vars, for <c>var()</c>.</param>
/// <param name="Models">Folder configs of models.</param>
/// <param name="Seeds">Folder configs of seeds.</param>
/// <param name="Snapshots">Folder configs of snapshots.</param>
/// <param name="OnRunStart">SQL run before the models of each run.</param>
/// <param name="OnRunEnd">SQL run after them.</param>
public sealed record ModelProjectSettings(
    string ProjectName,
    string ConfigFileName,
    bool IsDbt,
    IReadOnlyList<string> ModelPaths,
    IReadOnlyList<string> SeedPaths,
    IReadOnlyList<string> SnapshotPaths,
    IReadOnlyList<string> TestPaths,
    IReadOnlyList<string> MacroPaths,
    IReadOnlyDictionary<string, object?> Vars,
    FolderConfigs Models,
    FolderConfigs Seeds,
    FolderConfigs Snapshots,
    IReadOnlyList<string> OnRunStart,
    IReadOnlyList<string> OnRunEnd)
{
    /// <summary>Where <c>dbt deps</c> installs packages, relative to the project.</summary>
    public string PackagesInstallPath { get; init; } = "dbt_packages";

    /// <summary>dbt's <c>dispatch:</c> — for a macro namespace, the packages searched in order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Dispatch { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The keys of the project file that were read and do not change what a run builds, as <c>file:line: key</c>.</summary>
    public IReadOnlyList<string> IgnoredKeys { get; init; } = [];

    // Keys of dbt_project.yml that do not change what a run produces.
    private static readonly string[] NoOpKeys =
    [
        "version", "config-version", "profile", "target-path", "log-path", "packages-install-path", "clean-targets",
        "require-dbt-version", "analysis-paths", "docs-paths", "asset-paths", "quoting", "query-comment",
        "flags", "restrict-access", "tests", "data_tests", "sources", "metrics", "semantic-models", "saved-queries",
        "exposures", "unit_tests", "analyses", "dbt-cloud", "function-paths", "functions",
    ];

    private static readonly string[] DbtKeys =
    [
        "name", "model-paths", "source-paths", "seed-paths", "data-paths", "snapshot-paths", "test-paths", "macro-paths",
        "vars", "models", "seeds", "snapshots", "on-run-start", "on-run-end", "dispatch", .. NoOpKeys,
    ];

    /// <summary>Reads the model settings of <paramref name="project"/>.</summary>
    public static ModelProjectSettings Read(SluiceProject project)
    {
        if (project.DbtProjectPath is { } dbtPath)
        {
            return ReadDbt(dbtPath, SluiceProject.DbtFileName, project.Environment, project.Name);
        }

        var file = project.OpenConfig();
        var display = SluiceProject.FileName;
        YamlNode? Section(string key) => project.Section(key);
        return new ModelProjectSettings(
            project.Name,
            display,
            IsDbt: false,
            Paths(file, Section("model-paths"), "model-paths", "models"),
            Paths(file, Section("seed-paths"), "seed-paths", "seeds"),
            Paths(file, Section("snapshot-paths"), "snapshot-paths", "snapshots"),
            Paths(file, Section("test-paths"), "test-paths", "tests"),
            ["macros"],
            ReadVars(file, Section("vars"), project.Name),
            Configs(file, display, Section("models"), "models"),
            Configs(file, display, Section("seeds"), "seeds"),
            Configs(file, display, Section("snapshots"), "snapshots"),
            [],
            []);
    }

    /// <summary>The settings of an installed package, from its dbt_project.yml (<paramref name="display"/> names it in errors).</summary>
    public static ModelProjectSettings ReadPackage(string dbtPath, string display, Func<string, string?> environment) =>
        ReadDbt(dbtPath, display, environment, Path.GetFileName(Path.GetDirectoryName(dbtPath)) ?? "package");

    private static ModelProjectSettings ReadDbt(string dbtPath, string display, Func<string, string?> environment, string fallbackName)
    {
        var file = new ConfigFile(display, environment);
        var root = file.Parse(File.ReadAllText(dbtPath)) ?? new YamlMappingNode();
        var entries = file.ReadMapping(root, display, DbtKeys);
        YamlNode? Section(string key) => entries.TryGetValue(key, out var entry) ? entry.Value : null;
        var name = Section("name") is { } nameNode ? file.ReadString(nameNode, "name") : fallbackName;
        return new ModelProjectSettings(
            name,
            display,
            IsDbt: true,
            Paths(file, Section("model-paths") ?? Section("source-paths"), "model-paths", "models"),
            Paths(file, Section("seed-paths") ?? Section("data-paths"), "seed-paths", "seeds"),
            Paths(file, Section("snapshot-paths"), "snapshot-paths", "snapshots"),
            Paths(file, Section("test-paths"), "test-paths", "tests"),
            Paths(file, Section("macro-paths"), "macro-paths", "macros"),
            ReadVars(file, Section("vars"), name),
            Configs(file, display, Section("models"), "models"),
            Configs(file, display, Section("seeds"), "seeds"),
            Configs(file, display, Section("snapshots"), "snapshots"),
            Statements(file, Section("on-run-start"), "on-run-start"),
            Statements(file, Section("on-run-end"), "on-run-end"))
        {
            PackagesInstallPath = Section("packages-install-path") is { } install ? file.ReadString(install, "packages-install-path").TrimEnd('/') : "dbt_packages",
            Dispatch = ReadDispatch(file, Section("dispatch")),
            IgnoredKeys = [.. NoOpKeys.Where(entries.ContainsKey).Select(k => $"{display}:{entries[k].Key.Start.Line}: {k}")],
        };
    }

    // dispatch: [{macro_namespace: dbt_utils, search_order: [my_project, dbt_utils]}]
    private static Dictionary<string, IReadOnlyList<string>> ReadDispatch(ConfigFile file, YamlNode? node)
    {
        var dispatch = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (node is null or YamlScalarNode { Value: null or "" })
        {
            return dispatch;
        }

        if (node is not YamlSequenceNode list)
        {
            throw file.Error(node, "dispatch must be a list of `- macro_namespace: …` entries with a search_order.");
        }

        foreach (var item in list)
        {
            var entry = file.ReadMapping(item, "a dispatch entry", ["macro_namespace", "search_order"]);
            if (!entry.TryGetValue("macro_namespace", out var space) || !entry.TryGetValue("search_order", out var order))
            {
                throw file.Error(item, "a dispatch entry needs macro_namespace and search_order, such as `- {macro_namespace: dbt_utils, search_order: [my_project, dbt_utils]}`.");
            }

            dispatch[file.ReadString(space.Value, "macro_namespace")] = order.Value is YamlSequenceNode packages
                ? [.. packages.Select(p => file.ReadString(p, "search_order"))]
                : throw file.Error(order.Value, "search_order must be a list of package names.");
        }

        return dispatch;
    }

    /// <summary>
    /// The path under which folder configs are looked up for a resource: in dbt_project.yml the
    /// package name comes first (<c>models: my_project: staging: …</c>).
    /// </summary>
    public IReadOnlyList<string> ConfigPath(IEnumerable<string> folders, string name) =>
        IsDbt ? [ProjectName, .. folders, name] : [.. folders, name];

    private static IReadOnlyList<string> Paths(ConfigFile file, YamlNode? node, string what, string fallback) => node switch
    {
        null => [fallback],
        YamlScalarNode => [file.ReadString(node, what).TrimEnd('/')],
        YamlSequenceNode list => [.. list.Children.Select(c => file.ReadString(c, what).TrimEnd('/'))],
        _ => throw file.Error(node, $"{what} must be a folder or a list of folders, such as [\"{fallback}\"]."),
    };

    private static FolderConfigs Configs(ConfigFile file, string display, YamlNode? node, string what) =>
        node is null ? FolderConfigs.Empty : FolderConfigs.Read(file, display, node, what);

    private static IReadOnlyList<string> Statements(ConfigFile file, YamlNode? node, string what) => node switch
    {
        null => [],
        YamlScalarNode => [file.ReadString(node, what)],
        YamlSequenceNode list => [.. list.Children.Select(c => file.ReadString(c, what))],
        _ => throw file.Error(node, $"{what} must be a SQL statement or a list of them."),
    };

    // dbt's vars: top-level keys are global, and a key named after the project holds vars for it
    // alone, which win over the global ones.
    private static IReadOnlyDictionary<string, object?> ReadVars(ConfigFile file, YamlNode? node, string projectName)
    {
        if (node is null || node is YamlScalarNode { Value: null or "" })
        {
            return new Dictionary<string, object?>();
        }

        if (YamlValues.From(node) is not IReadOnlyDictionary<string, object?> all)
        {
            throw file.Error(node, "vars must be a mapping of names to values.");
        }

        var vars = all.Where(v => v.Key != projectName).ToDictionary(StringComparer.Ordinal);
        if (all.GetValueOrDefault(projectName) is IReadOnlyDictionary<string, object?> scoped)
        {
            foreach (var (key, value) in scoped)
            {
                vars[key] = value;
            }
        }

        return vars;
    }
}
