using System.Globalization;
using System.Net.Http.Headers;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Server.Access;
using Sluice.Server.Cache;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Server.Tests;

/// <summary>
/// A copy of Projects/analytics, loaded and built, that tests serve themselves with the settings
/// they need (keys, budgets, rates), one server at a time.
/// </summary>
public abstract class PreparedProject : IAsyncLifetime
{
    public string ProjectDirectory { get; } = Directory.CreateTempSubdirectory("sluice-keys-").FullName;

    protected abstract Task<string?> ProfilesAsync();

    public async Task InitializeAsync() => await ServedProject.PrepareAsync(ProjectDirectory, await ProfilesAsync());

    public virtual Task DisposeAsync()
    {
        try
        {
            Directory.Delete(ProjectDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>Serves the project with <paramref name="settings"/> on a free loopback port.</summary>
    public Task<SluiceServer> StartAsync(ServeSettings settings) =>
        SluiceServer.StartAsync(ServedProject.Parse(ProjectDirectory), Deployed(settings) with { Port = 0 });

    /// <summary>What the project's deployment adds to a test's settings: none on one machine, the shared cache when scaled out.</summary>
    protected virtual ServeSettings Deployed(ServeSettings settings) => settings;

    /// <summary>The secret of the test key named <paramref name="name"/>.</summary>
    public static string Secret(string name) => $"sk-{name}-4f9c2a7e51d8b3a6";

    /// <summary>A key for <paramref name="tenant"/> (an admin key when null), fast enough never to meet its rate unless given one.</summary>
    public static ApiKey Key(string name, string? tenant, QueryBudget? budget = null, KeyRate? rate = null) =>
        new(name, ServeConfigReader.Hash(Secret(name)), tenant, tenant is null ? budget : budget ?? QueryBudget.Default, rate ?? new KeyRate(1_000_000, 1_000_000));

    /// <summary>A client of <paramref name="server"/> sending the secret of key <paramref name="keyName"/>, or none.</summary>
    public static HttpClient Client(SluiceServer server, string? keyName)
    {
        var client = new HttpClient { BaseAddress = server.Address };
        if (keyName is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Secret(keyName));
        }

        return client;
    }

    /// <summary>queries_used of <paramref name="subject"/>'s row for <paramref name="period"/> starting <paramref name="start"/>, read from the warehouse (with no server running on a DuckDB file).</summary>
    public async Task<long?> BudgetUsedAsync(string subject, string period, DateOnly start)
    {
        var project = ProjectLoader.Load(ProjectDirectory, _ => null);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        await using var session = await warehouse.OpenSessionAsync();
        var used = await session.ScalarAsync("select queries_used from _sluice.query_budgets where subject = $1 and period = $2 and period_start = $3", [subject, period, start]);
        return used is null or DBNull ? null : Convert.ToInt64(used, CultureInfo.InvariantCulture);
    }

    /// <summary>Changes the raw tables with <paramref name="change"/> and builds the models again (with no server running on a DuckDB file).</summary>
    public Task ChangeAndBuildAsync(Func<IWarehouseSession, Task> change) => ServedProject.ChangeAndBuildAsync(ProjectDirectory, change);

    /// <summary>Runs <paramref name="action"/> on a session of the project's warehouse (with no server running on a DuckDB file).</summary>
    public async Task WithSessionAsync(Func<IWarehouseSession, Task> action)
    {
        var project = ProjectLoader.Load(ProjectDirectory, _ => null);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        await using var session = await warehouse.OpenSessionAsync();
        await action(session);
    }
}

public sealed class DuckDbPreparedProject : PreparedProject
{
    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresPreparedProject : PreparedProject
{
    protected override async Task<string?> ProfilesAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.DbtProfilesAsync("analytics");
    }
}

/// <summary>The project on a throwaway ClickHouse server, served with a throwaway Redis for answers and budgets, as a scaled-out deployment runs.</summary>
public sealed class ClickHousePreparedProject : PreparedProject
{
    private ClickHouseServer? _clickHouse;
    private RedisServer? _redis;

    protected override async Task<string?> ProfilesAsync()
    {
        _redis = await RedisServer.StartAsync();
        _clickHouse = await ClickHouseServer.StartPrivateAsync();
        return await _clickHouse.DbtProfilesAsync("analytics", "analytics");
    }

    protected override ServeSettings Deployed(ServeSettings settings) =>
        settings.Cache.Redis is null ? settings with { Cache = settings.Cache with { Redis = RedisLocation.Parse(_redis!.Url()) } } : settings;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_clickHouse is not null)
        {
            await _clickHouse.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
