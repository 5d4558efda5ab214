using System.Security;
using Sluice.Core.Project;

namespace Sluice.Testing;

/// <summary>
/// Two throwaway ClickHouse servers on loopback that form the cluster <see cref="Name"/> of
/// their remote_servers, one shard each, sharing a user and password. The first is where a
/// project's URL points and its state lives. Both are killed and deleted on dispose.
/// </summary>
public sealed class ClickHouseCluster : IAsyncDisposable
{
    /// <summary>The cluster's name in remote_servers.</summary>
    public const string Name = "sluice_shards";

    private ClickHouseCluster(ClickHouseServer first, ClickHouseServer second)
    {
        First = first;
        Second = second;
    }

    /// <summary>The server of the project's URL: shard 1.</summary>
    public ClickHouseServer First { get; }

    /// <summary>Shard 2.</summary>
    public ClickHouseServer Second { get; }

    /// <summary>Both servers.</summary>
    public IReadOnlyList<ClickHouseServer> Servers => [First, Second];

    /// <summary>Starts both servers.</summary>
    public static async Task<ClickHouseCluster> StartAsync()
    {
        const int Attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var ports = Enumerable.Range(0, 4).Select(_ => ThrowawayServers.FreePort()).ToArray();
            var password = Convert.ToHexString(Guid.NewGuid().ToByteArray())[..16];
            var remoteServers = $"""
                <remote_servers>
                  <{Name}>
                    {Shard(ports[1])}
                    {Shard(ports[3])}
                  </{Name}>
                </remote_servers>
                """;
            var first = await ClickHouseServer.TryStartAsync(false, "UTC", ports[0], ports[1], password, remoteServers, attempt < Attempts);
            if (first is null)
            {
                continue;
            }

            var second = await ClickHouseServer.TryStartAsync(false, "UTC", ports[2], ports[3], password, remoteServers, attempt < Attempts);
            if (second is null)
            {
                await first.DisposeAsync();
                continue;
            }

            return new ClickHouseCluster(first, second);

            string Shard(int tcpPort) =>
                $"<shard><replica><host>127.0.0.1</host><port>{tcpPort}</port><user>{ClickHouseServer.User}</user><password>{SecurityElement.Escape(password)}</password></replica></shard>";
        }
    }

    /// <summary>The warehouse settings of a project on the cluster whose tables go to <paramref name="database"/>.</summary>
    public ClickHouseWarehouseSettings Settings(string database) =>
        new(First.Url(database), Name) { Shards = [$"http://127.0.0.1:{First.HttpPort}", $"http://127.0.0.1:{Second.HttpPort}"] };

    /// <summary>The warehouse section of sluice.yml for <see cref="Settings"/>, with the password in the URL.</summary>
    public string WarehouseYaml(string database) => $"""
        warehouse:
          type: clickhouse
          url: {First.Url(database)}
          cluster: {Name}
          shards:
            - http://127.0.0.1:{First.HttpPort}
            - http://127.0.0.1:{Second.HttpPort}
        """;

    /// <summary>Creates database <paramref name="schema"/> on both servers and returns a profiles.yml naming the cluster as profile <paramref name="profile"/>'s target.</summary>
    public async Task<string> DbtProfilesAsync(string profile, string schema)
    {
        await CreateDatabaseAsync(schema);
        return $"""
            {profile}:
              target: ch
              outputs:
                ch:
                  type: clickhouse
                  host: 127.0.0.1
                  port: {First.HttpPort}
                  user: {ClickHouseServer.User}
                  password: "{First.Password}"
                  schema: {schema}
                  threads: 2
                  cluster: {Name}
                  shards:
                    - http://127.0.0.1:{First.HttpPort}
                    - http://127.0.0.1:{Second.HttpPort}
            """;
    }

    /// <summary>Creates <paramref name="database"/> on both servers.</summary>
    public async Task CreateDatabaseAsync(string database)
    {
        foreach (var server in Servers)
        {
            await server.QueryAsync($"create database if not exists {database}");
        }
    }

    /// <summary>The number of rows of a table's shard on each server.</summary>
    public async Task<IReadOnlyList<long>> ShardRowsAsync(string database, string table) =>
        await Task.WhenAll(Servers.Select(async s => long.Parse((await s.QueryAsync($"select count() from {database}.{table}__shard")).Trim(), System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Kills both servers and deletes their folders.</summary>
    public async ValueTask DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }
}
