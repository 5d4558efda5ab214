using Sluice.Testing;

namespace Sluice.Checks.Tests;

/// <summary>
/// The quality and generic projects on a ClickHouse server of their own: schemas are ClickHouse
/// databases shared by everything on a server (main, main_dbt_test__audit, _sluice), so each
/// fixture starts one.
/// </summary>
public abstract class ClickHouseProject : QualityProject
{
    private IAsyncDisposable? _servers;

    /// <summary>True to start a 2-shard cluster instead of one server.</summary>
    protected virtual bool Sharded => false;

    protected override async Task<string?> ProfilesAsync()
    {
        if (Sharded)
        {
            var cluster = await ClickHouseCluster.StartAsync();
            _servers = cluster;
            return await cluster.DbtProfilesAsync(TemplateName, "main");
        }

        var server = await ClickHouseServer.StartPrivateAsync();
        _servers = server;
        return await server.DbtProfilesAsync(TemplateName, "main");
    }

    protected override async ValueTask DisposeEngineAsync()
    {
        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }
}

public sealed class ClickHouseQualityProject : ClickHouseProject;

/// <summary>Projects/quality on a warehouse sharded across a 2-shard ClickHouse cluster.</summary>
public sealed class ClickHouseClusterQualityProject : ClickHouseProject
{
    protected override bool Sharded => true;
}

/// <summary>
/// Projects/generic on ClickHouse, whose models are written in ClickHouse's SQL as dbt-clickhouse
/// projects are: a column of NULLs is Nullable there.
/// </summary>
public sealed class ClickHouseGenericProject : ClickHouseProject
{
    protected override string TemplateName => "generic";

    protected override async Task<string?> ProfilesAsync()
    {
        var path = Path.Combine(ProjectDirectory, "models", "stg_orders.sql");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("cast(null as {{ dbt.type_string() }})", "cast(null as Nullable({{ dbt.type_string() }}))", StringComparison.Ordinal));
        return await base.ProfilesAsync();
    }
}
