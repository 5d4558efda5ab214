using System.Net.Http.Headers;
using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Models.Run;
using Sluice.Models.State;
using Sluice.Server;
using Sluice.Server.Access;
using Sluice.Sync.Engine;
using Sluice.Testing;
using Sluice.Warehouses;

namespace Sluice.Web.Tests.Served;

/// <summary>
/// A copy of Projects/panels with <see cref="PanelsData"/> written as its CSV files, synced and
/// built on DuckDB, and served on a free loopback port with its two API keys: an admin key and
/// acme's tenant key.
/// </summary>
public sealed class PanelsServer : IAsyncLifetime
{
    public const string AdminKey = "panels-admin-key-5c1d7e2a9b";
    public const string AcmeKey = "panels-acme-key-8f04b6d3e1";

    private static readonly string Template = Path.Combine(AppContext.BaseDirectory, "Projects", "panels");

    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        ["PANELS_ADMIN_KEY"] = AdminKey,
        ["PANELS_ACME_KEY"] = AcmeKey,
    };

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sluice-web-panels-").FullName;

    /// <summary>Noon of the day after the data ends, the time the browser's clock is held at.</summary>
    public static DateTimeOffset Now => new(PanelsData.Last.AddDays(1).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    public SluiceServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        TemplateCopy.Into(Template, Directory);
        PanelsData.WriteCsv(Path.Combine(Directory, "data"));
        var project = Load();
        await using (var warehouse = WarehouseFactory.Create(project.Warehouse, project.Directory))
        {
            var synced = await new SyncRunner(project, warehouse, NullSyncObserver.Instance).RunAsync(new SyncOptions(), CancellationToken.None);
            Assert.All(synced, r => Assert.True(r.Status == SyncStatus.Success, $"sync of {r.Source}.{r.Table}: {r.Error}"));
            var parsed = ProjectParser.Parse(project);
            var options = new RunOptions { From = PanelsData.First, To = PanelsData.Last, Threads = 2 };
            var built = await new ModelRunner(parsed, warehouse).RunAsync(NodeSelector.Select(parsed.Graph, [], []), options, new SilentRun(), CancellationToken.None);
            Assert.All(built, r => Assert.True(r.Status == JobStatus.Success, $"{r.Name}: {r.Error}"));
        }

        var settings = ServeConfigReader.Read(Load()) with { Port = 0 };
        Server = await SluiceServer.StartAsync(ProjectParser.Parse(Load()), settings with { HealthPerMinute = 1_000_000 });
    }

    /// <summary>A client of the server sending <paramref name="key"/>.</summary>
    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = Server.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The header that makes every request of a page the admin's.</summary>
    public static Dictionary<string, string> AdminHeaders => new() { ["Authorization"] = $"Bearer {AdminKey}" };

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private SluiceProject Load() => ProjectLoader.Load(Directory, name => Environment.GetValueOrDefault(name));
}
