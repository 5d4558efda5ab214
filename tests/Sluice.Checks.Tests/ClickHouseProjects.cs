using Sluice.Testing;

namespace Sluice.Checks.Tests;

/// <summary>
/// The quality and generic projects on a ClickHouse server of their own: schemas are ClickHouse
/// databases shared by everything on a server (main, main_dbt_test__audit, _sluice), so each
/// fixture starts one.
/// </summary>
public abstract class ClickHouseProject : QualityProject
{
    private ClickHouseServer? _server;

    protected override async Task<string?> ProfilesAsync()
    {
        _server = await ClickHouseServer.StartPrivateAsync();
        return await _server.DbtProfilesAsync(TemplateName, "main");
    }

    protected override async ValueTask DisposeEngineAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

public sealed class ClickHouseQualityProject : ClickHouseProject;

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
