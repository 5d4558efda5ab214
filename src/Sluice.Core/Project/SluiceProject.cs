using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Project;

/// <summary>
/// A Sluice project: the folder that holds <c>sluice.yml</c> (or a dbt project's
/// <c>dbt_project.yml</c>) and the settings read from it.
/// <code>
/// name: analytics            # letters, digits, '_' or '-'; defaults to the folder's name
/// warehouse:                 # defaults to a DuckDB file warehouse.duckdb in the project folder
///   type: duckdb
///   path: warehouse.duckdb
/// sources: …                 # read by the stages that use them
/// vars: …
/// schedules: …
/// channels: …               # where notifications go: webhook, slack, command, nats (docs/notifications.md)
/// events: …                 # which channels get Sluice's events, such as analytics.synced (docs/notifications.md)
/// retention: …              # how long the history in _sluice is kept (docs/operate.md)
/// models: …                 # folder configs, as in dbt_project.yml (also seeds:, snapshots:, model-paths: …)
/// </code>
/// String values may use <c>${VAR}</c> and <c>${VAR:-default}</c> to read the environment.
/// </summary>
/// <param name="Name">The project's name.</param>
/// <param name="Directory">The project folder, absolute.</param>
/// <param name="ConfigPath">The absolute path of sluice.yml.</param>
/// <param name="Warehouse">Where the project's data lives.</param>
/// <param name="DeferredSections">
/// The top-level sections that later stages parse (<c>sources</c>, <c>vars</c>, <c>schedules</c>, <c>channels</c>, <c>retention</c>),
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

    /// <summary>The top-level keys kept as <see cref="DeferredSections"/> for the stages that own them.</summary>
    public static IReadOnlyList<string> DeferredKeys { get; } =
    [
        "sources", "vars", "schedules", "channels", "events", "retention", "serve", "models", "seeds", "snapshots", "model-paths", "seed-paths", "snapshot-paths", "test-paths",
    ];

    /// <summary>The top-level keys sluice.yml may have.</summary>
    public static IReadOnlyList<string> TopLevelKeys { get; } = ["name", "warehouse", .. DeferredKeys];

    /// <summary>The file name of a dbt project, which Sluice runs too.</summary>
    public const string DbtFileName = "dbt_project.yml";

    /// <summary>The project's dbt_project.yml, when it has one (then its model settings come from there).</summary>
    public string? DbtProjectPath { get; init; }

    /// <summary>The schema of models that name none: the dbt target's schema, or the engine's default.</summary>
    public string DefaultSchema { get; init; } = "main";

    /// <summary>The target's name, <c>target.name</c> in templates.</summary>
    public string TargetName { get; init; } = "default";

    /// <summary>How many models may run at once unless --threads says otherwise.</summary>
    public int? Threads { get; init; }

    /// <summary>Things the user should know about how the project was read (a fallback warehouse).</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>Looks up environment variables for <c>${VAR}</c> references in the deferred sections.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The section <paramref name="key"/> as written, or null when sluice.yml does not have it.</summary>
    public YamlNode? Section(string key) => DeferredSections.GetValueOrDefault(key);

    /// <summary>sluice.yml as a <see cref="ConfigFile"/>, for reading the deferred sections with located errors.</summary>
    public ConfigFile OpenConfig() => new(ConfigPath, Environment);
}
