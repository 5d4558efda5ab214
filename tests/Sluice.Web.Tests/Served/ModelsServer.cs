using Sluice.Checks;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Demo.ApplyLens;
using Sluice.Server;
using Sluice.Web.Tests.Browser;

namespace Sluice.Web.Tests.Served;

/// <summary>
/// The ApplyLens example for the model pages: made as <see cref="ApplyLensServer"/> makes it
/// (the same seed and days), then tested as <c>sluice test</c> does, so that every check has a
/// latest result to show, and served on a free loopback port. Its own fixture: the dashboards'
/// tests see a project whose checks have never run, and this one must not change that.
/// </summary>
public sealed class ModelsServer : IAsyncLifetime
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sluice-web-models-").FullName;

    /// <summary>Noon of the day the data ends after, the time the browser's clock is held at.</summary>
    public DateTimeOffset Now { get; } = new(DateOnly.FromDateTime(DateTime.UtcNow).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    public SluiceServer Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var state = ApplyLensState.Build(ApplyLensServer.Seed, today.AddDays(-ApplyLensServer.Days), today.AddDays(-1));
        await ApplyLensServer.PrepareAsync(Directory, state, async warehouse =>
        {
            var parsed = ProjectParser.Parse(ProjectLoader.Load(Directory, _ => null));
            await new CheckRunner(parsed, warehouse).RunAsync(parsed.Checks, new CheckRunOptions(), new Unobserved(), CancellationToken.None);
        });
        Server = await SluiceServer.StartAsync(ProjectParser.Parse(ProjectLoader.Load(Directory, _ => null)), new ServeSettings(Port: 0) { HealthPerMinute = 1_000_000 });
        Client = new HttpClient { BaseAddress = Server.Address };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
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

    private sealed class Unobserved : ICheckObserver
    {
        public void Finished(CheckResult result)
        {
        }
    }
}

/// <summary>The model pages' tests over ApplyLens: one chromium, one served and tested ApplyLens project.</summary>
[CollectionDefinition(Name)]
public sealed class ModelsCollection : ICollectionFixture<BrowserFixture>, ICollectionFixture<ModelsServer>
{
    public const string Name = "ApplyLens models";
}
