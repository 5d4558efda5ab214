using System.Globalization;
using System.Text;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// A warehouse sharded across a cluster of the servers' <c>remote_servers</c>. Each table of the
/// project is a MergeTree of the same name with <see cref="ShardSuffix"/> on every server (the
/// shard's rows) and a Distributed table under its own name on every server, which reads all
/// shards and spreads inserted rows over them at random. Sluice's state (<c>_sluice</c>) stays in
/// plain tables on the server of the URL. Without ZooKeeper there is no <c>ON CLUSTER</c>: each
/// table's DDL is sent to every server by <see cref="ClickHouseClusterStatements"/>, the URL's
/// server first so that a refused statement changes nothing elsewhere.
/// </summary>
internal sealed class ClickHouseCluster : IDisposable
{
    /// <summary>What the shard-local table of a table is called after: <c>events</c> keeps its rows in <c>events__shard</c>.</summary>
    public const string ShardSuffix = "__shard";

    private readonly ClickHouseHttp[] _owned;
    private readonly string _location;
    private Task? _verified;

    private ClickHouseCluster(string name, IReadOnlyList<ClickHouseHttp> nodes, ClickHouseHttp[] owned, int shards, string location)
    {
        Name = name;
        Nodes = nodes;
        _owned = owned;
        ShardCount = shards;
        _location = location;
    }

    /// <summary>The cluster's name in remote_servers.</summary>
    public string Name { get; }

    /// <summary>Every server that holds the tables, the URL's first.</summary>
    public IReadOnlyList<ClickHouseHttp> Nodes { get; }

    /// <summary>How many shards sluice.yml lists.</summary>
    public int ShardCount { get; }

    /// <summary>
    /// The cluster of <paramref name="settings"/>, whose servers are reached like
    /// <paramref name="url"/>'s: a shard URL without a user logs in as the URL's user.
    /// </summary>
    public static ClickHouseCluster Create(ClickHouseWarehouseSettings settings, ClickHouseUrl url, ClickHouseHttp main, string location, IReadOnlyDictionary<string, string> requestSettings)
    {
        var nodes = new List<ClickHouseHttp> { main };
        var owned = new List<ClickHouseHttp>();
        var endpoints = new HashSet<Uri> { url.Endpoint };
        foreach (var shard in settings.Shards)
        {
            var shardUrl = ClickHouseUrl.Parse(shard).Beside(url);
            if (endpoints.Add(shardUrl.Endpoint))
            {
                var http = new ClickHouseHttp(shardUrl, SecretMasker.Mask(shard), requestSettings);
                owned.Add(http);
                nodes.Add(http);
            }
        }

        return new ClickHouseCluster(settings.Cluster!, nodes, [.. owned], settings.Shards.Count, location);
    }

    /// <summary>The table that holds a shard's rows of <paramref name="table"/>.</summary>
    public static TableName Local(TableName table) => Beside(table, ShardSuffix);

    /// <summary>A name next to <paramref name="table"/> with a suffix, the table's name cut so that it fits.</summary>
    public static TableName Beside(TableName table, string suffix) =>
        new(table.Schema, table.Name.Length + suffix.Length <= Identifier.MaxLength ? table.Name + suffix : table.Name[..(Identifier.MaxLength - suffix.Length)] + suffix);

    /// <summary>True for a table of the cluster's own making, which listings of the project's tables leave out.</summary>
    public static bool IsOwn(string name) =>
        name.EndsWith(ShardSuffix, StringComparison.Ordinal) || name.EndsWith("__sluice_dnew", StringComparison.Ordinal) || name.EndsWith("__sluice_dold", StringComparison.Ordinal);

    /// <summary>True for tables that live on the URL's server alone: Sluice's state.</summary>
    public static bool IsUnsharded(TableName table) => string.Equals(table.Schema, MetadataSchema.Name, StringComparison.Ordinal);

    /// <summary>The engine of the Distributed table over <paramref name="local"/>.</summary>
    public string Engine(TableName local) =>
        $"Distributed({Name}, {ClickHouseSql.Quote(local.Schema)}, {ClickHouseSql.Quote(local.Name)}, rand())";

    /// <summary>
    /// Checks once that the URL's server knows the cluster with as many shards as sluice.yml
    /// lists; a wrong name or count would otherwise spread rows where Sluice does not look.
    /// </summary>
    public Task VerifyAsync(CancellationToken cancellationToken) => _verified ??= CheckAsync(cancellationToken);

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var rows = await ReadAsync(Nodes[0], $"select uniqExact(shard_num) from system.clusters where cluster = {ClickHouseSql.Quote(Name)}", cancellationToken);
            var shards = int.Parse(rows[0][0], CultureInfo.InvariantCulture);
            if (shards == 0)
            {
                throw new ConfigurationException($"warehouse.cluster '{Name}' is not a cluster of {_location}: add it to the server's remote_servers, or name one that is (see system.clusters).");
            }

            if (shards != ShardCount)
            {
                throw new ConfigurationException($"warehouse.cluster '{Name}' has {shards} shard(s) on {_location}, but warehouse.shards lists {ShardCount}: list the HTTP URL of every server of the cluster.");
            }
        }
        catch
        {
            _verified = null;
            throw;
        }
    }

    /// <summary>Runs a query on one server and returns its rows as texts (TabSeparated, unescaped).</summary>
    public static async Task<IReadOnlyList<string[]>> ReadAsync(ClickHouseHttp node, string sql, CancellationToken cancellationToken)
    {
        using var response = await node.SendAsync($"{sql} format TabSeparated", null, cancellationToken: cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        // Each row ends in a newline, so a row of one empty text is "\n" and no rows is "".
        return text.Length == 0 ? [] : text[..^1].Split('\n').Select(line => line.Split('\t').Select(Unescape).ToArray()).ToList();
    }

    // EXISTS and DESCRIBE look at the one table: a read of system.tables or system.columns visits
    // every table of the database and fails when another build drops one of them meanwhile.

    /// <summary>True when one server has a table (or view) of that name.</summary>
    public static async Task<bool> ExistsAsync(ClickHouseHttp node, TableName table, CancellationToken cancellationToken) =>
        (await ReadAsync(node, $"exists table {ClickHouseDialect.Instance.Quote(table.Schema)}.{ClickHouseDialect.Instance.Quote(table.Name)}", cancellationToken))[0][0] == "1";

    /// <summary>The names of a table's columns with their types on one server, in order; empty when it has no such table.</summary>
    public static async Task<IReadOnlyList<(string Name, string Type)>> ColumnsAsync(ClickHouseHttp node, TableName table, CancellationToken cancellationToken) =>
        !await ExistsAsync(node, table, cancellationToken)
            ? []
            : (await ReadAsync(node, $"describe table {ClickHouseDialect.Instance.Quote(table.Schema)}.{ClickHouseDialect.Instance.Quote(table.Name)}", cancellationToken))
                .Select(r => (r[0], r[1])).ToList();

    /// <summary>Runs a statement on every server, the URL's first.</summary>
    public async Task RunEverywhereAsync(string statement, CancellationToken cancellationToken)
    {
        foreach (var node in Nodes)
        {
            await node.RunAsync(statement, null, cancellationToken: cancellationToken);
        }
    }

    public void Dispose()
    {
        foreach (var http in _owned)
        {
            http.Dispose();
        }
    }

    private static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var unescaped = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                unescaped.Append(text[i] switch { 't' => '\t', 'n' => '\n', 'r' => '\r', '0' => '\0', _ => text[i] });
            }
            else
            {
                unescaped.Append(text[i]);
            }
        }

        return unescaped.ToString();
    }
}
