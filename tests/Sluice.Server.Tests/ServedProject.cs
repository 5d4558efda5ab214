using System.Globalization;
using System.Net;
using System.Text.Json;
using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Warehouse;
using Sluice.Models.Run;
using Sluice.Models.State;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Server.Tests;

/// <summary>
/// A copy of Projects/analytics with <see cref="AnalyticsData"/> loaded and its models built, on
/// a warehouse chosen by the subclass, served on a free loopback port for the tests of a class.
/// </summary>
public abstract class ServedProject : IAsyncLifetime
{
    private static readonly string Template = Path.Combine(AppContext.BaseDirectory, "Projects", "analytics");

    public string ProjectDirectory { get; } = Directory.CreateTempSubdirectory("sluice-serve-").FullName;

    public SluiceServer Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>A profiles.yml for the project, or null for the embedded DuckDB fallback.</summary>
    protected abstract Task<string?> ProfilesAsync();

    public async Task InitializeAsync()
    {
        await PrepareAsync(ProjectDirectory, await ProfilesAsync());
        await BeforeServingAsync();
        Server = await SluiceServer.StartAsync(Parse(ProjectDirectory), new ServeSettings(Port: 0) { HealthPerMinute = 1_000_000 });
        Client = new HttpClient { BaseAddress = Server.Address };
    }

    /// <summary>Stops what <see cref="ProfilesAsync"/> started for this project alone.</summary>
    protected virtual ValueTask DisposeEngineAsync() => ValueTask.CompletedTask;

    /// <summary>What a subclass adds to the prepared project before it is served.</summary>
    protected virtual Task BeforeServingAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        await DisposeEngineAsync();
        try
        {
            Directory.Delete(ProjectDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Copies the template into <paramref name="directory"/>, loads the raw tables and builds the models.</summary>
    public static async Task PrepareAsync(string directory, string? profiles)
    {
        TemplateCopy.Into(Template, directory);
        if (profiles is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, DbtProfiles.FileName), profiles);
        }

        var project = ProjectLoader.Load(directory, _ => null);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        await using (var session = await warehouse.OpenSessionAsync())
        {
            await AnalyticsData.LoadAsync(session);
        }

        await BuildAsync(directory, warehouse);
    }

    /// <summary>Runs <paramref name="sql"/> on the warehouse from outside the server, without a build (PostgreSQL only).</summary>
    public async Task ExecuteAsync(string sql)
    {
        var project = ProjectLoader.Load(ProjectDirectory, _ => null);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        await using var session = await warehouse.OpenSessionAsync();
        await session.ExecuteAsync(sql);
    }

    /// <summary>Changes the raw tables with <paramref name="change"/> and rebuilds the models, from outside the server (PostgreSQL only: a DuckDB file belongs to its server).</summary>
    public Task ChangeAndBuildAsync(Func<IWarehouseSession, Task> change) => ChangeAndBuildAsync(ProjectDirectory, change);

    /// <summary>Changes the raw tables of the project in <paramref name="directory"/> with <paramref name="change"/> and builds its models again.</summary>
    public static async Task ChangeAndBuildAsync(string directory, Func<IWarehouseSession, Task> change)
    {
        var project = ProjectLoader.Load(directory, _ => null);
        await using var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory);
        await using (var session = await warehouse.OpenSessionAsync())
        {
            await change(session);
        }

        await BuildAsync(directory, warehouse);
    }

    private static async Task BuildAsync(string directory, IWarehouse warehouse)
    {
        var parsed = Parse(directory);
        var options = new RunOptions { From = AnalyticsData.Start, To = AnalyticsData.Start, Threads = 2 };
        var results = await new ModelRunner(parsed, warehouse).RunAsync(NodeSelector.Select(parsed.Graph, [], []), options, new SilentRun(), CancellationToken.None);
        Assert.All(results, r => Assert.True(r.Status == JobStatus.Success, $"{r.Name}: {r.Error}"));
    }

    public static ParsedProject Parse(string directory) => ProjectParser.Parse(ProjectLoader.Load(directory, _ => null));

    /// <summary>GETs <paramref name="path"/>, checks the status, and returns the JSON body.</summary>
    public async Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>GETs <paramref name="path"/> expecting a problem; checks its shape and returns it.</summary>
    public async Task<JsonElement> ProblemAsync(string path, HttpStatusCode expected)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

}

public sealed class DuckDbServedProject : ServedProject
{
    protected override Task<string?> ProfilesAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresServedProject : ServedProject
{
    protected override async Task<string?> ProfilesAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.DbtProfilesAsync("analytics");
    }
}

public class ClickHouseServedProject : ServedProject
{
    private IAsyncDisposable? _servers;

    /// <summary>The cluster when <see cref="Sharded"/>, once started.</summary>
    public ClickHouseCluster? Cluster => _servers as ClickHouseCluster;

    /// <summary>True to start a 2-shard cluster instead of one server.</summary>
    protected virtual bool Sharded => false;

    protected override async Task<string?> ProfilesAsync()
    {
        // Schemas are ClickHouse databases, shared by everything on a server: a server per project.
        if (Sharded)
        {
            var cluster = await ClickHouseCluster.StartAsync();
            _servers = cluster;
            return await cluster.DbtProfilesAsync("analytics", "analytics");
        }

        var server = await ClickHouseServer.StartPrivateAsync();
        _servers = server;
        return await server.DbtProfilesAsync("analytics", "analytics");
    }

    protected override async ValueTask DisposeEngineAsync()
    {
        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }
}

/// <summary>The served project on a warehouse sharded across a 2-shard ClickHouse cluster.</summary>
public sealed class ClickHouseClusterServedProject : ClickHouseServedProject
{
    protected override bool Sharded => true;
}
