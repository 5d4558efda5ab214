using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.Operate.Alerts;
using Sluice.Operate.Events;
using Sluice.Operate.Notify;
using Sluice.Operate.Schedules;
using Sluice.Server;
using Sluice.Server.Access;

namespace Sluice.Cli.Tasks;

/// <summary>
/// <c>sluice serve</c>: the metrics API, pipeline state and health over HTTP, until Ctrl+C.
/// Definitions in metrics.yml are checked against the warehouse before the port is bound.
/// </summary>
internal sealed class ServeTask(CliContext context, ParseResult parseResult)
{
    private static readonly Option<string?> HostOption = new("--host")
    {
        Description = "The address to listen on. Without API keys only loopback addresses are accepted. Default: serve.host in sluice.yml, else 127.0.0.1.",
        HelpName = "address",
    };

    private static readonly Option<int?> PortOption = new("--port")
    {
        Description = "The port to listen on; 0 picks a free one. Default: serve.port in sluice.yml, else 8080.",
        HelpName = "port",
    };

    private static readonly Option<string> LeaseOption = ScheduleTask.CreateLeaseOption();

    public static Command CreateCommand(GlobalOptions globals)
    {
        var command = new Command("serve", "Serve the metrics API (trends, cohorts, funnels, benchmarks, rows), pipeline state and health over HTTP.")
        {
            HostOption, PortOption, LeaseOption,
        };
        VerbRunner.SetAction(command, globals, "serving failed", (parseResult, context, cancellationToken) =>
            new ServeTask(context, parseResult).RunAsync(cancellationToken));
        return command;
    }

    // JSON lines on standard error, one per event: what log collectors read.
    private static void Logs(ILoggingBuilder logging) => logging
        .AddJsonConsole(json =>
        {
            json.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            json.UseUtcTimestamp = true;
        })
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("System", LogLevel.Warning)
        .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);

    /// <summary>
    /// Starts serving <paramref name="project"/> as <c>sluice serve</c> does: sluice.yml's serve
    /// settings, schedules, channels and alerts.yml, checked first; jobs run in this process.
    /// </summary>
    internal static async Task<SluiceServer> StartAsync(
        Core.Models.ParsedProject project, string? host, int? port, TimeProvider clock, Action<ILoggingBuilder>? logging, CancellationToken cancellationToken, TimeSpan? schedulerLease = null)
    {
        var settings = ServeConfigReader.Read(project.Project);
        var schedules = ScheduleReader.Read(project.Project);
        ScheduleCheck.Check(project.Project, schedules);
        var channels = ChannelReader.Read(project.Project);

        // Syncs run as jobs send the events; a mistake in events: is told at the start, not at the first sync.
        EventReader.Read(project.Project, channels);
        settings = settings with
        {
            Host = host ?? settings.Host,
            Port = port ?? settings.Port,
            Version = SluiceCli.Version,
            Schedules = schedules,
            Channels = channels,
            Alerts = ProjectAlerts.Read(project, schedules, channels),
            Clock = clock,
            SchedulerLease = schedulerLease ?? settings.SchedulerLease,
        };

        // A job is the sluice command line run in this process, on the project being served.
        var directory = project.Project.Directory;
        return await SluiceServer.StartAsync(project, settings, logging, (command, arguments, output, error, token) =>
            SluiceCli.RunAsync([command, .. arguments, "--project-dir", directory], output, error, token), cancellationToken);
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var port = parseResult.GetValue(PortOption);
        if (port is < 0 or > 65535)
        {
            ErrorReporter.WriteError(context, $"--port {port} is not a port; give 0 to 65535.");
            return ExitCodes.Usage;
        }

        var leaseText = parseResult.GetValue(LeaseOption)!;
        if (ScheduleTask.ParseLease(leaseText) is not { } lease)
        {
            ErrorReporter.WriteError(context, $"--scheduler-lease '{leaseText}' is not a duration of 1s or more; give one such as 30s.");
            return ExitCodes.Usage;
        }

        var project = ModelOptions.Parse(context, parseResult);
        await using (var server = await StartAsync(project, parseResult.GetValue(HostOption), port, TimeProvider.System, Logs, cancellationToken, lease))
        {
            await AnnounceAsync(server, project, server.Settings);
            await server.WaitForShutdownAsync(cancellationToken);
            await context.Error.WriteLineAsync("Stopping…");
        }

        await context.Error.WriteLineAsync("Stopped.");
        return ExitCodes.Success;
    }

    private async Task AnnounceAsync(SluiceServer server, Core.Models.ParsedProject project, ServeSettings settings)
    {
        var catalog = server.Catalog;
        await context.Error.WriteLineAsync(
            $"Serving {project.Project.Name} on {server.Address} ({catalog.Metrics.Count} metrics, {catalog.Funnels.Count} funnels, {catalog.Benchmarks.Count} benchmarks, {catalog.Rows.Count} exposed models; warehouse {project.Project.Warehouse.Type}; {(settings.ApiKeys.Count == 0 ? "no API keys, loopback only" : $"{settings.ApiKeys.Count} API keys")}). Ctrl+C stops.");
        if (server.Dashboards.All.Count > 0)
        {
            await context.Error.WriteLineAsync($"Dashboards: {string.Join(", ", server.Dashboards.All.Select(d => $"{server.Address.ToString().TrimEnd('/')}/dashboards/{d.Name}"))}");
        }

        if (catalog.Metrics.Count + catalog.Funnels.Count + catalog.Benchmarks.Count + catalog.Rows.Count == 0)
        {
            await context.Error.WriteLineAsync(
                "Nothing to serve yet: metrics.yml declares no metrics, funnels, benchmarks or exposed models; add them there (see docs/serve.md). "
                + "/health, /api/v1 and the pipeline's runs answer meanwhile.");
        }

        if (settings.Schedules.Count > 0)
        {
            await context.Error.WriteLineAsync(
                $"Running {settings.Schedules.Count} schedule(s) as jobs ({string.Join(", ", settings.Schedules.Select(s => s.Name))}); GET /api/v1/schedules shows them.");
        }
    }
}
