using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Project;

/// <summary>Reads the <c>warehouse:</c> section of sluice.yml into <see cref="WarehouseSettings"/>.</summary>
public static partial class WarehouseSettingsReader
{
    /// <summary>The DuckDB file used when sluice.yml has no warehouse section.</summary>
    public const string DefaultDuckDbPath = "warehouse.duckdb";

    private static readonly string[] SectionKeys = ["type", "path", "threads", "memory_limit", "url", "cluster", "shards"];
    private static readonly string[] DuckDbKeys = ["type", "path", "threads", "memory_limit"];
    private static readonly string[] PostgresKeys = ["type", "url"];
    private static readonly string[] ClickHouseKeys = ["type", "url", "cluster", "shards"];

    /// <summary>The warehouse types sluice.yml accepts.</summary>
    public static IReadOnlyList<string> Types { get; } = ["duckdb", "postgres", "clickhouse"];

    /// <summary>The warehouse of a project whose sluice.yml does not name one.</summary>
    public static WarehouseSettings Default { get; } = new DuckDbWarehouseSettings(DefaultDuckDbPath);

    /// <summary>Reads the section; errors name the line at fault.</summary>
    public static WarehouseSettings Read(ConfigFile file, YamlNode section)
    {
        var entries = file.ReadMapping(section, "warehouse", SectionKeys);
        if (!entries.TryGetValue("type", out var typeEntry))
        {
            throw file.Error(section, $"warehouse needs a type; add `type: duckdb` (a local file) or one of: {string.Join(", ", Types)}.");
        }

        var type = file.ReadString(typeEntry.Value, "warehouse.type").ToLowerInvariant();
        return type switch
        {
            "duckdb" => ReadDuckDb(file, entries),
            "postgres" or "postgresql" => ReadPostgres(file, section, entries),
            "clickhouse" => ReadClickHouse(file, section, entries),
            _ => throw file.Error(typeEntry.Value, $"warehouse type '{type}' is not supported; use one of: {string.Join(", ", Types)}."),
        };
    }

    private static DuckDbWarehouseSettings ReadDuckDb(ConfigFile file, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries)
    {
        file.RejectKeys(entries, "a duckdb warehouse", DuckDbKeys);
        var path = entries.TryGetValue("path", out var pathEntry) ? file.ReadString(pathEntry.Value, "warehouse.path") : DefaultDuckDbPath;
        int? threads = entries.TryGetValue("threads", out var threadsEntry) ? file.ReadInt(threadsEntry.Value, "warehouse.threads", 1, 1024) : null;
        string? memoryLimit = null;
        if (entries.TryGetValue("memory_limit", out var memoryEntry))
        {
            memoryLimit = file.ReadString(memoryEntry.Value, "warehouse.memory_limit");
            if (!MemorySize().IsMatch(memoryLimit))
            {
                throw file.Error(memoryEntry.Value, $"warehouse.memory_limit '{memoryLimit}' is not a size; write a number and a unit, such as 512MB or 4GB.");
            }
        }

        return new DuckDbWarehouseSettings(path, threads, memoryLimit);
    }

    private static PostgresWarehouseSettings ReadPostgres(ConfigFile file, YamlNode section, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries)
    {
        file.RejectKeys(entries, "a postgres warehouse", PostgresKeys);
        if (!entries.TryGetValue("url", out var urlEntry))
        {
            throw file.Error(section, "a postgres warehouse needs a url; add `url: postgres://user@host:5432/database` (the password can come from ${PGPASSWORD}).");
        }

        var url = file.ReadString(urlEntry.Value, "warehouse.url");
        if (!url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            throw file.Error(urlEntry.Value, $"warehouse.url '{SecretMasker.Mask(url)}' is not a PostgreSQL URL; write it as postgres://user@host:5432/database.");
        }

        return new PostgresWarehouseSettings(url);
    }

    private static ClickHouseWarehouseSettings ReadClickHouse(ConfigFile file, YamlNode section, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries)
    {
        file.RejectKeys(entries, "a clickhouse warehouse", ClickHouseKeys);
        if (!entries.TryGetValue("url", out var urlEntry))
        {
            throw file.Error(section, "a clickhouse warehouse needs a url; add `url: http://user@host:8123/database` (the password can come from ${CLICKHOUSE_PASSWORD}).");
        }

        var url = file.ReadString(urlEntry.Value, "warehouse.url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw file.Error(urlEntry.Value, $"warehouse.url '{SecretMasker.Mask(url)}' is not a ClickHouse HTTP URL; write it as http://user@host:8123/database.");
        }

        var settings = new ClickHouseWarehouseSettings(url);
        if (!Identifier.IsValid(settings.Database))
        {
            throw file.Error(urlEntry.Value, $"warehouse.url names the database '{settings.Database}', which is not a valid name; use letters, digits and underscores.");
        }

        var (cluster, shards) = ReadCluster(file, entries, "warehouse.");
        return settings with { Cluster = cluster, Shards = shards };
    }


    /// <summary>
    /// Reads <c>cluster:</c> and <c>shards:</c> of a ClickHouse warehouse (sluice.yml) or output
    /// (profiles.yml, whose keys <paramref name="prefix"/> names without "warehouse.").
    /// </summary>
    internal static (string? Cluster, IReadOnlyList<string> Shards) ReadCluster(ConfigFile file, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, string prefix)
    {
        string? cluster = null;
        if (entries.TryGetValue("cluster", out var clusterEntry))
        {
            cluster = file.ReadString(clusterEntry.Value, $"{prefix}cluster");
            if (!Identifier.IsValid(cluster))
            {
                throw file.Error(clusterEntry.Value, $"{prefix}cluster '{cluster}' is not a valid cluster name; use the name of a cluster in the server's remote_servers.");
            }
        }

        var shards = new List<string>();
        if (entries.TryGetValue("shards", out var shardsEntry))
        {
            if (cluster is null)
            {
                throw file.Error(shardsEntry.Key, $"{prefix}shards is only read with {prefix}cluster; add `cluster:` with the name of the cluster in the servers' remote_servers, or remove shards:.");
            }

            if (shardsEntry.Value is not YamlSequenceNode list || list.Children.Count == 0)
            {
                throw file.Error(shardsEntry.Value, $"{prefix}shards must be a list of the HTTP URL of every server of the cluster, such as `[http://ch1:8123, http://ch2:8123]`.");
            }

            foreach (var item in list.Children)
            {
                var shard = file.ReadString(item, $"{prefix}shards item");
                if (!Uri.TryCreate(shard, UriKind.Absolute, out var shardUri) || shardUri.Scheme is not ("http" or "https"))
                {
                    throw file.Error(item, $"{prefix}shards item '{SecretMasker.Mask(shard)}' is not a ClickHouse HTTP URL; write it as http://host:8123.");
                }

                shards.Add(shard);
            }
        }
        else if (cluster is not null)
        {
            throw file.Error(clusterEntry.Key, $"{prefix}cluster '{cluster}' needs {prefix}shards, the HTTP URL of every server of the cluster: Sluice sends each table's DDL to every server itself (ON CLUSTER needs ZooKeeper).");
        }

        return (cluster, shards);
    }

    [GeneratedRegex(@"^\d+(\.\d+)?\s*([KMGT]i?B|B|bytes)$", RegexOptions.IgnoreCase)]
    private static partial Regex MemorySize();
}
