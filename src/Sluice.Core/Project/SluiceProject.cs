using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Project;

/// <summary>
/// A Sluice project: the folder that holds <c>sluice.yml</c> and the settings read from it.
/// <code>
/// name: analytics            # letters, digits, '_' or '-'; defaults to the folder's name
/// warehouse:                 # defaults to a DuckDB file warehouse.duckdb in the project folder
///   type: duckdb
///   path: warehouse.duckdb
/// sources: …                 # read by the stages that use them
/// vars: …
/// schedules: …
/// </code>
/// String values may use <c>${VAR}</c> and <c>${VAR:-default}</c> to read the environment.
/// </summary>
/// <param name="Name">The project's name.</param>
/// <param name="Directory">The project folder, absolute.</param>
/// <param name="ConfigPath">The absolute path of sluice.yml.</param>
/// <param name="Warehouse">Where the project's data lives.</param>
/// <param name="DeferredSections">
/// The top-level sections that later stages parse (<c>sources</c>, <c>vars</c>, <c>schedules</c>),
/// as read from the file: their nodes keep line numbers for errors, and environment references in
/// them are still unexpanded (see <see cref="ConfigFile.ReadString"/>).
/// </param>
public sealed record SluiceProject(
    string Name,
    string Directory,
    string ConfigPath,
    WarehouseSettings Warehouse,
    IReadOnlyDictionary<string, YamlNode> DeferredSections)
{
    /// <summary>The configuration file's name.</summary>
    public const string FileName = "sluice.yml";

    /// <summary>The top-level keys sluice.yml may have.</summary>
    public static IReadOnlyList<string> TopLevelKeys { get; } = ["name", "warehouse", "sources", "vars", "schedules"];

    /// <summary>The top-level keys kept as <see cref="DeferredSections"/> for the stages that own them.</summary>
    public static IReadOnlyList<string> DeferredKeys { get; } = ["sources", "vars", "schedules"];

    /// <summary>Looks up environment variables for <c>${VAR}</c> references in the deferred sections.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The section <paramref name="key"/> as written, or null when sluice.yml does not have it.</summary>
    public YamlNode? Section(string key) => DeferredSections.GetValueOrDefault(key);

    /// <summary>sluice.yml as a <see cref="ConfigFile"/>, for reading the deferred sections with located errors.</summary>
    public ConfigFile OpenConfig() => new(ConfigPath, Environment);
}
