using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.Core.Metrics;
using Sluice.Core.Models;
using Sluice.Core.Warehouse;
using Sluice.Dashboards;
using Sluice.Server.Access;
using Sluice.Server.Api;
using Sluice.Server.Cache;
using Sluice.Server.Catalog;
using Sluice.Server.Dashboards;
using Sluice.Server.Http;
using Sluice.Server.Jobs;
using Sluice.Server.Observability;
using Sluice.Server.Queries;
using Sluice.Server.Schedules;
using Sluice.Warehouses;
using Sluice.Warehouses.DuckDb;
using Sluice.Warehouses.Metadata;

namespace Sluice.Server;

/// <summary>
/// <c>sluice serve</c>: binds metrics.yml to the warehouse, then answers the metrics API,
/// pipeline state and health over HTTP until stopped. One process serves one project.
/// </summary>
public sealed partial class SluiceServer : IAsyncDisposable
{
    // How long requests in flight get to finish when the server stops.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly IWarehouse _warehouse;
    private IDisposable? _announcement;

    private SluiceServer(WebApplication app, IWarehouse warehouse, ServedCatalog catalog) =>
        (_app, _warehouse, Catalog) = (app, warehouse, catalog);

    /// <summary>This assembly's version, reported when the command that starts the server gives none (<see cref="ServeSettings.Version"/>).</summary>
    public static string Version { get; } =
        typeof(SluiceServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>What the server answers for.</summary>
    public ServedCatalog Catalog { get; }

    /// <summary>The dashboards it shows (dashboards/*.yml).</summary>
    public ServedDashboards Dashboards => _app.Services.GetRequiredService<ServedDashboards>();

    /// <summary>The settings it serves with.</summary>
    public ServeSettings Settings => _app.Services.GetRequiredService<ServeSettings>();

    /// <summary>The schedules, alerts and prune it runs, when the project has schedules or alerts.</summary>
    internal ServedSchedules? Operations => _app.Services.GetService<ServedSchedules>();

    /// <summary>Its job queue, when it takes jobs.</summary>
    internal JobQueue? Jobs => _app.Services.GetService<JobQueue>();

    /// <summary>The address it listens on, such as http://127.0.0.1:8080.</summary>
    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>
    /// Checks the definitions against the warehouse and starts listening. Throws a
    /// <see cref="Core.Project.ConfigurationException"/> naming metrics.yml's line when a
    /// definition does not match the warehouse, and before binding any port.
    /// <paramref name="logging"/> adds log providers; without it the server logs nothing.
    /// <paramref name="jobs"/> runs the pipeline commands sent to <c>POST /api/v1/jobs</c>;
    /// without it the server refuses jobs. On a DuckDB file the server announces itself next to
    /// the file (<see cref="ServingHolder"/>) until it stops.
    /// </summary>
    public static async Task<SluiceServer> StartAsync(ParsedProject project, ServeSettings settings, Action<ILoggingBuilder>? logging = null, JobRunner? jobs = null, CancellationToken cancellationToken = default)
    {
        var address = ListenAddress.Resolve(settings.Host, hasKeys: settings.ApiKeys.Count > 0);
        var definitions = MetricsReader.Read(project);
        var warehouse = WarehouseFactory.Create(project.Project.Warehouse, project.Project.Directory);
        RedisStore? redis = null;
        try
        {
            CheckBudgets(settings, warehouse);
            if (jobs is not null && settings.Schedules.Count + settings.Alerts.Count > 0)
            {
                SchedulerHolds.Check(warehouse, settings.Cache.Redis, project.Project.Name);
            }

            await using (var session = await warehouse.OpenSessionAsync(cancellationToken))
            {
                await MetadataSchema.MigrateAsync(session, cancellationToken: cancellationToken);
            }

            var catalog = await CatalogBinder.BindAsync(project, definitions, warehouse, cancellationToken);
            CheckTenants(settings, catalog);
            var dashboards = ServedDashboards.Bind(DashboardReader.Read(project.Project.Directory, definitions, project.Project.Environment), definitions, catalog);
            redis = settings.Cache.Redis is { } location ? new RedisStore(location, settings.Clock) : null;
            if (redis is not null)
            {
                // Not waited on beyond its short timeout: the API answers without Redis.
                await redis.ConnectAsync();
            }

            var app = Build(settings, address, warehouse, catalog, dashboards, redis, logging, jobs);
            await app.StartAsync(cancellationToken);
            var server = new SluiceServer(app, warehouse, catalog);
            if (ServingHolder.DatabaseOf(project.Project.Warehouse, project.Project.Directory) is { } database)
            {
                server._announcement = ServingHolder.Announce(database, server.Address);
            }

            app.Services.GetService<ServedSchedules>()?.Start(server.Address);

            return server;
        }
        catch
        {
            if (redis is not null)
            {
                await redis.DisposeAsync();
            }

            await warehouse.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the server is stopped (Ctrl+C or <paramref name="cancellationToken"/>).</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }
    }

    /// <summary>
    /// The longest a stop takes (<see cref="DisposeAsync"/>): the running job is cancelled at once
    /// and queued ones are dropped, requests in flight get up to 5 seconds to finish, and a job
    /// still rolling back the rest of this time.
    /// </summary>
    public static TimeSpan StopTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Stops the server: see <see cref="StopTimeout"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        // Wall-clock bounds, not the settings' clock: they are kept for the service manager that
        // sent the stop, which kills the process when it takes too long.
        var stopping = Stopwatch.StartNew();
        try
        {
            var jobs = _app.Services.GetService<JobQueue>();
            var schedules = _app.Services.GetService<ServedSchedules>();
            var idle = true;
            try
            {
                // No scheduled run starts from now on; a running one is cancelled with its job.
                if (schedules is not null)
                {
                    await schedules.StopAsync();
                }

                // The jobs first: a build can run for hours, and clients waiting for a job (as
                // `sluice build` against a served project does) would hold the stop as long.
                // Cancelled, they answer those clients while the requests drain.
                if (jobs is not null)
                {
                    await jobs.StopAsync();
                }

                using (var drain = new CancellationTokenSource(DrainTimeout))
                {
                    // Past the drain, Kestrel closes the connections still open.
                    await _app.StopAsync(drain.Token);
                }

                if (schedules is not null)
                {
                    var left = StopTimeout - stopping.Elapsed;
                    await schedules.WhenStoppedAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                }

                if (jobs is not null)
                {
                    var left = StopTimeout - stopping.Elapsed;
                    idle = await jobs.WhenIdleAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                    if (idle)
                    {
                        await jobs.DisposeAsync();
                    }
                    else
                    {
                        LogJobOutlastsStop(_app.Services.GetRequiredService<ILogger<SluiceServer>>(), StopTimeout.TotalSeconds);
                    }
                }

                await _app.Services.GetRequiredService<QueryBudgets>().DisposeAsync();
                var redis = _app.Services.GetService<RedisStore>();
                await _app.DisposeAsync();
                if (redis is not null)
                {
                    await redis.DisposeAsync();
                }
            }
            finally
            {
                // A job that has not stopped still uses the database: closing it under the job
                // could crash the process, while leaving it open loses nothing, since DuckDB
                // and PostgreSQL drop the job's uncommitted transaction when the process ends.
                if (idle)
                {
                    await _warehouse.DisposeAsync();
                }
            }
        }
        finally
        {
            // Whatever failed while stopping, the server no longer takes work for the file.
            _announcement?.Dispose();
        }
    }

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "A cancelled job was still running {Seconds} s after the stop began; the server stops without waiting for it to roll back")]
    private static partial void LogJobOutlastsStop(ILogger logger, double seconds);

    private static WebApplication Build(ServeSettings settings, System.Net.IPAddress address, IWarehouse warehouse, ServedCatalog catalog, ServedDashboards dashboards, RedisStore? redis, Action<ILoggingBuilder>? logging, JobRunner? jobs)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = catalog.Project.Project.Directory });
        builder.Services.AddSingleton<RejectedRequests>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // Requests somewhat past what the API reads still reach it, so that it refuses them
            // itself (RequestLimits): a problem naming the limit, logged with its request id.
            kestrel.Limits.MaxRequestLineSize = RequestLimits.KestrelRequestLineBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = RequestLimits.KestrelHeaderBytes;
            kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes;
            kestrel.Listen(address, settings.Port, listen =>
            {
                // Without TLS, Kestrel speaks HTTP/1.1 only anyway; said here because the
                // requests Kestrel refuses are answered as problems in HTTP/1.1's terms.
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(kestrel.ApplicationServices.GetRequiredService<RejectedRequests>().Use);
            });
        });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);

        builder.Services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(dashboards);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new QueryRunner(warehouse, settings.QueryConcurrency));
        var versions = new DataVersions(warehouse);
        builder.Services.AddSingleton(versions);
        builder.Services.AddSingleton(services => new BuiltRollups(warehouse, versions, services.GetRequiredService<ILogger<BuiltRollups>>()));
        builder.Services.AddSingleton(settings.Clock);
        builder.Services.AddSingleton(new ServerStart(settings.Clock.GetUtcNow()));
        if (redis is not null)
        {
            // One Redis for the answers and the budgets of every server of the project.
            var keys = new RedisKeys(catalog.Project.Project.Name);
            builder.Services.AddSingleton(redis);
            builder.Services.AddSingleton<IAnswerCache>(new RedisAnswerCache(settings.Cache, redis, keys));
            builder.Services.AddSingleton(new QueryBudgets(new RedisPermits(redis, keys), settings.Clock));
        }
        else
        {
            builder.Services.AddSingleton<IAnswerCache>(new MemoryAnswerCache(settings.Cache, settings.Clock));
            builder.Services.AddSingleton(new QueryBudgets(new WarehousePermits(warehouse), settings.Clock));
        }

        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSluiceRateLimits(settings);
        builder.Services.AddSluiceOpenApi(settings);
        if (jobs is not null)
        {
            var queue = new JobQueue(jobs, settings.Clock);
            builder.Services.AddSingleton(queue);
            if (settings.Schedules.Count + settings.Alerts.Count > 0)
            {
                builder.Services.AddSingleton(services => new ServedSchedules(
                    settings.Schedules, settings.Alerts, catalog, warehouse, queue, settings.Clock, settings.StandbyPoll, settings.Channels, services.GetRequiredService<ILogger<ServedSchedules>>(),
                    settings.Cache.Redis, settings.SchedulerLease));
            }
        }

        var app = builder.Build();
        var refusals = app.Services.GetRequiredService<RejectedRequests>().Observe(app.Services.GetRequiredService<DiagnosticListener>());
        app.Lifetime.ApplicationStopped.Register(refusals.Dispose);
        app.UseMiddleware<RequestLog>();
        app.UseMiddleware<RequestLimits>();
        app.UseMiddleware<ProblemMiddleware>();
        app.UseStatusCodePages(status => StatusProblems.WriteAsync(status.HttpContext));
        app.UseRouting();
        app.UseMiddleware<KeyAuthentication>();
        app.UseRateLimiter();
        app.UseMiddleware<BudgetGate>();
        app.MapHealthApi();
        app.MapPrometheus();
        app.MapSluiceOpenApi();
        app.MapGroup(IndexApi.Root).MapIndexApi().MapMetricsApi().MapInsightsApi().MapPipelineApi().MapJobsApi().MapSchedulesApi().MapAlertsApi().MapDashboardsApi().MapModelsApi();
        Web.WebAppEndpoints.MapWebApp(app);
        return app;
    }

    // Budgets are counted in Redis when there is one, else in the warehouse, whose guarded
    // updates in a transaction keep them exact across servers: an engine without transactions
    // could admit more than a budget.
    private static void CheckBudgets(ServeSettings settings, IWarehouse warehouse)
    {
        if (settings.Cache.Redis is null && !warehouse.Capabilities.Transactions && settings.ApiKeys.FirstOrDefault(k => k.Budget is not null) is { } key)
        {
            throw new Core.Project.ConfigurationException($"API key '{key.Name}' has a query budget (tenant keys have {QueryBudget.Default.Daily} a day unless serve.budget says otherwise), which a {warehouse.Engine} warehouse cannot count exactly: it has no transactions. Set serve.cache to a Redis URL (redis://host:6379) in sluice.yml to count budgets there.");
        }
    }

    // A tenant key must name a tenant the served rows can hold: metrics.yml then declares the
    // tenant column, and the tenant is a value of its type in every served relation.
    private static void CheckTenants(ServeSettings settings, ServedCatalog catalog)
    {
        foreach (var key in settings.ApiKeys.Where(k => k.Tenant is not null))
        {
            if (catalog.TenantColumn is null)
            {
                throw new Core.Project.ConfigurationException($"API key '{key.Name}' is for tenant '{key.Tenant}', but metrics.yml declares no tenant column, so the server could not keep other tenants' rows from it; add `tenant: {{column: ...}}` to metrics.yml or make the key `admin: true`.");
            }

            foreach (var relation in catalog.Relations.Where(r => r.Tenant is not null))
            {
                if (ColumnText.TryParse(relation.Tenant!, key.Tenant!) is null)
                {
                    throw new Core.Project.ConfigurationException($"API key '{key.Name}' is for tenant '{key.Tenant}', which is not a value of {relation.Reference.DisplayName}.{relation.Tenant!.Name} ({relation.Tenant.Type}); give the tenant as that column holds it.");
                }
            }
        }
    }
}
