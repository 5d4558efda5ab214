using System.Globalization;
using Sluice.Core.Models;
using Sluice.Core.Templating;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Project;

/// <summary>The warehouse and default schema a dbt profile's target names.</summary>
/// <param name="Warehouse">The warehouse.</param>
/// <param name="Schema">The target's schema: where models without a custom schema go.</param>
/// <param name="TargetName">The target's name (<c>target.name</c> in templates).</param>
/// <param name="Threads">The target's threads, if given.</param>
public sealed record DbtTarget(WarehouseSettings Warehouse, string Schema, string TargetName, int? Threads);

/// <summary>
/// Reads dbt's profiles.yml for the <c>duckdb</c> and <c>postgres</c> adapters. It is looked for
/// where dbt looks: <c>$DBT_PROFILES_DIR</c>, the project folder, then <c>~/.dbt</c>. Values may
/// use <c>{{ env_var('NAME') }}</c>, as in dbt.
/// </summary>
public static class DbtProfiles
{
    /// <summary>The file's name.</summary>
    public const string FileName = "profiles.yml";

    private static readonly string[] DuckDbKeys = ["type", "path", "schema", "threads", "database", "extensions", "settings"];
    private static readonly string[] PostgresKeys =
    [
        "type", "host", "port", "user", "pass", "password", "dbname", "database", "schema", "threads", "sslmode",
        "keepalives_idle", "connect_timeout", "retries", "search_path", "role",
    ];

    private static readonly string[] ClickHouseKeys = ["type", "host", "port", "user", "password", "schema", "secure", "driver", "threads", "cluster", "shards"];

    /// <summary>The folders searched for profiles.yml, in order.</summary>
    public static IReadOnlyList<string> SearchPath(string projectDirectory, Func<string, string?> environment)
    {
        var folders = new List<string>();
        if (environment("DBT_PROFILES_DIR") is { Length: > 0 } configured)
        {
            folders.Add(Path.GetFullPath(configured));
        }

        folders.Add(projectDirectory);
        var home = environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
        {
            folders.Add(Path.Combine(home, ".dbt"));
        }

        return folders;
    }

    /// <summary>
    /// The target of <paramref name="profileName"/>, or null with a reason in
    /// <paramref name="missing"/> when no profiles.yml has that profile. Errors inside the
    /// profile that exists are configuration errors naming the line.
    /// </summary>
    public static DbtTarget? Find(string projectDirectory, string profileName, Func<string, string?> environment, out string missing)
    {
        var searched = SearchPath(projectDirectory, environment);
        foreach (var folder in searched)
        {
            var path = Path.Combine(folder, FileName);
            if (!File.Exists(path))
            {
                continue;
            }

            var file = new ConfigFile(path, environment);
            var root = Load(file);
            foreach (var (key, value) in root.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && name == profileName)
                {
                    missing = string.Empty;
                    return ReadProfile(file, projectDirectory, profileName, value, environment);
                }
            }
        }

        missing = $"found no profile '{profileName}' in a profiles.yml (looked in {string.Join(", ", searched)})";
        return null;
    }

    private static YamlMappingNode Load(ConfigFile file) =>
        file.Parse(File.ReadAllText(file.Path)) as YamlMappingNode ?? new YamlMappingNode();

    private static DbtTarget ReadProfile(ConfigFile file, string projectDirectory, string profileName, YamlNode node, Func<string, string?> environment)
    {
        var profile = file.ReadMapping(node, $"profile '{profileName}'", ["target", "outputs", "config"]);
        if (!profile.TryGetValue("outputs", out var outputsEntry) || outputsEntry.Value is not YamlMappingNode outputs || outputs.Children.Count == 0)
        {
            throw file.Error(node, $"profile '{profileName}' has no outputs; add outputs: with at least one target (type: duckdb or type: postgres).");
        }

        var targetName = profile.TryGetValue("target", out var targetEntry)
            ? Render(file, targetEntry.Value, "target", environment)
            : "default";
        var output = outputs.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: { } n } && n == targetName).Value
            ?? throw file.Error(targetEntry.Value ?? node, $"profile '{profileName}' has no output named '{targetName}'; its outputs are {string.Join(", ", outputs.Children.Keys)}.");

        var all = DuckDbKeys.Union(PostgresKeys).Union(ClickHouseKeys).ToArray();
        var entries = file.ReadMapping(output, $"output '{targetName}'", all);
        if (!entries.TryGetValue("type", out var typeEntry))
        {
            throw file.Error(output, $"output '{targetName}' needs a type: duckdb, postgres or clickhouse.");
        }

        string Value(string key, string? fallback = null) =>
            entries.TryGetValue(key, out var entry) ? Render(file, entry.Value, key, environment) : fallback
                ?? throw file.Error(output, $"output '{targetName}' needs '{key}'.");

        int? threads = entries.TryGetValue("threads", out var threadsEntry) ? file.ReadInt(threadsEntry.Value, "threads", 1, 1024) : null;
        var type = Value("type").ToLowerInvariant();
        switch (type)
        {
            case "duckdb":
                file.RejectKeys(entries, "a duckdb output", DuckDbKeys);
                var duckPath = Value("path", ":memory:");
                if (duckPath == ":memory:")
                {
                    throw file.Error(output, $"output '{targetName}' keeps the DuckDB database in memory, where models vanish when the command ends; set path: to a file such as {profileName}.duckdb.");
                }

                return new DbtTarget(new DuckDbWarehouseSettings(duckPath, threads), Value("schema", "main"), targetName, threads);
            case "postgres" or "postgresql":
                file.RejectKeys(entries, "a postgres output", PostgresKeys);
                var user = Uri.EscapeDataString(Value("user"));
                var password = entries.ContainsKey("password") ? Value("password") : entries.ContainsKey("pass") ? Value("pass") : null;
                var credentials = string.IsNullOrEmpty(password) ? user : $"{user}:{Uri.EscapeDataString(password)}";
                var port = entries.TryGetValue("port", out var portEntry) ? file.ReadInt(portEntry.Value, "port", 1, 65535) : 5432;
                var database = entries.ContainsKey("dbname") ? Value("dbname") : Value("database");
                var query = entries.ContainsKey("sslmode") ? $"?sslmode={Uri.EscapeDataString(Value("sslmode"))}" : string.Empty;
                var url = string.Create(CultureInfo.InvariantCulture, $"postgres://{credentials}@{Value("host")}:{port}/{Uri.EscapeDataString(database)}{query}");
                return new DbtTarget(new PostgresWarehouseSettings(url), Value("schema"), targetName, threads);
            case "clickhouse":
                // dbt-clickhouse's profile: the schema is the ClickHouse database models go to.
                file.RejectKeys(entries, "a clickhouse output", ClickHouseKeys);
                if (entries.TryGetValue("driver", out var driverEntry) && !Value("driver").Equals("http", StringComparison.OrdinalIgnoreCase))
                {
                    throw file.Error(driverEntry.Value, $"output '{targetName}' asks for the {Value("driver")} driver; Sluice speaks to ClickHouse over HTTP: remove driver: or set it to http.");
                }

                var secure = entries.ContainsKey("secure") && Value("secure").ToLowerInvariant() is "true" or "yes" or "1";
                var chUser = Uri.EscapeDataString(Value("user", "default"));
                var chPassword = entries.ContainsKey("password") ? Value("password") : null;
                var chCredentials = string.IsNullOrEmpty(chPassword) ? chUser : $"{chUser}:{Uri.EscapeDataString(chPassword)}";
                var chPort = entries.TryGetValue("port", out var chPortEntry) ? file.ReadInt(chPortEntry.Value, "port", 1, 65535) : secure ? 8443 : 8123;
                var chSchema = Value("schema", ClickHouseWarehouseSettings.DefaultDatabase);
                var chUrl = string.Create(CultureInfo.InvariantCulture, $"{(secure ? "https" : "http")}://{chCredentials}@{Value("host", "localhost")}:{chPort}/{Uri.EscapeDataString(chSchema)}");
                // cluster: is dbt-clickhouse's; shards: (every server's HTTP URL) is Sluice's, which sends the DDL itself.
                var (cluster, shards) = WarehouseSettingsReader.ReadCluster(file, entries, string.Empty);
                return new DbtTarget(new ClickHouseWarehouseSettings(chUrl, cluster) { Shards = shards }, chSchema, targetName, threads);
            default:
                throw file.Error(typeEntry.Value, $"adapter type '{type}' is not supported; Sluice runs dbt projects on duckdb, postgres and clickhouse.");
        }
    }

    private static string Render(ConfigFile file, YamlNode node, string what, Func<string, string?> environment)
    {
        var text = node is YamlScalarNode scalar ? scalar.Value ?? string.Empty : throw file.Error(node, $"{what} must be a single value.");
        if (!text.Contains("{{", StringComparison.Ordinal) && !text.Contains("{%", StringComparison.Ordinal))
        {
            return text;
        }

        var source = new TemplateSource(file.Path, text);
        var globals = new Dictionary<string, object?> { ["env_var"] = DbtFunctions.EnvVar(environment) };
        return TemplateRenderer.Render(source, globals).Trim();
    }
}
