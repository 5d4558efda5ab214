using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Operate.Schedules;
using Sluice.Server.Access;
using Sluice.Server.Http;
using Sluice.Server.Queries;
using Sluice.Server.Schedules;

namespace Sluice.Server.Api;

/// <summary>A schedule as <c>GET /api/v1/schedules</c> shows it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Cron">Its cron expression.</param>
/// <param name="Timezone">The zone the cron is read in.</param>
/// <param name="Commands">The commands a run runs, in order.</param>
/// <param name="Enabled">False when it is never due.</param>
/// <param name="NextRun">When it is due next; null when disabled, or while another process runs the schedules.</param>
/// <param name="Running">Whether a run of it is going now.</param>
/// <param name="LastTick">The last cron tick run.</param>
/// <param name="LastStatus">How the last tick's run ended.</param>
/// <param name="LastRun">The latest run of any kind (cron, catch_up or manual), with its status and duration.</param>
public sealed record ScheduleView(
    string Name, string Cron, string Timezone, IReadOnlyList<string> Commands, bool Enabled, DateTimeOffset? NextRun, bool Running,
    DateTimeOffset? LastTick, string? LastStatus, IReadOnlyDictionary<string, object?>? LastRun);

/// <summary>The schedules and who runs them.</summary>
/// <param name="RunBy">"this server", or the process that holds the project's scheduler hold.</param>
/// <param name="Schedules">The schedules, in sluice.yml's order.</param>
public sealed record SchedulesView(string RunBy, IReadOnlyList<ScheduleView> Schedules);

/// <summary>
/// <c>/api/v1/schedules</c> (admin keys): the project's schedules with their next and last runs,
/// and <c>POST /api/v1/schedules/{name}/trigger</c> to run one now, as <c>sluice trigger</c> does.
/// </summary>
internal static class SchedulesApi
{
    public static RouteGroupBuilder MapSchedulesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/schedules", ListAsync).RequireAdminKey().WithName("schedules").ReadsWarehouse()
            .WithSummary("The project's schedules: next run, whether one is running, the last tick and the latest run; and which process runs them.");
        api.MapPost("/schedules/{name}/trigger", TriggerAsync).RequireAdminKey().WithName("trigger_schedule")
            .WithSummary("Runs a schedule now, outside its cron times (recorded as a manual run): 202 when it is queued, or 200 with the finished run when `wait=true`.");
        return api;
    }

    private static async Task<Ok<SchedulesView>> ListAsync(HttpContext context, QueryRunner runner, CancellationToken cancellationToken)
    {
        new RequestParameters(context.Request.Query).RejectUnknown();
        var served = Served(context);
        var scheduler = served.Scheduler;
        var (standings, latest) = await runner.Warehouse.ReadAsync(async (session, token) =>
        {
            if (await session.DescribeTableAsync(ScheduleStore.Standings, token) is null)
            {
                return (new Dictionary<string, ScheduleStanding>(), new Dictionary<string, IReadOnlyDictionary<string, object?>>());
            }

            var standings = await ScheduleStore.LoadAsync(session, token);
            var latest = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal);
            // Each schedule's latest run, spelled by the dialect: ClickHouse has no correlated subqueries.
            await using var reader = await session.QueryAsync(
                runner.Dialect.FirstPerGroup(
                    "schedule_name, id, reason, status, attempts, started_at, completed_at, duration_ms, exit_code, error_message",
                    runner.Dialect.Quote(ScheduleStore.Runs),
                    "1 = 1",
                    "schedule_name",
                    "started_at desc, id desc"),
                null,
                token);
            while (await reader.ReadAsync(token))
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 1; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                latest[reader.GetString(0)] = row;
            }

            return (standings, latest);
        }, cancellationToken);

        var views = served.Schedules.Select(s => new ScheduleView(
            s.Name,
            s.Cron,
            s.Zone.Id,
            [.. s.Steps.Select(step => step.Text)],
            s.Enabled,
            scheduler?.NextDue(s),
            scheduler?.Running == s.Name,
            standings.GetValueOrDefault(s.Name)?.LastTick,
            standings.GetValueOrDefault(s.Name)?.LastStatus,
            latest.GetValueOrDefault(s.Name))).ToList();
        return TypedResults.Ok(new SchedulesView(scheduler is not null ? "this server" : served.Holder ?? "nobody yet", views));
    }

    private static async Task<Results<Ok<ScheduleRun>, Accepted<ScheduleRun>, Accepted>> TriggerAsync(string name, HttpContext context, CancellationToken cancellationToken)
    {
        var query = new RequestParameters(context.Request.Query);
        var wait = query.Choice("wait", "false", "true", "false") == "true";
        query.RejectUnknown();
        var served = Served(context);
        if (served.Schedules.All(s => s.Name != name))
        {
            throw ApiProblem.NotFound("name", served.Schedules.Count == 0
                ? $"There is no schedule '{RequestParameters.Shown(name)}': the project has none."
                : $"There is no schedule '{RequestParameters.Shown(name)}'; the schedules are {string.Join(", ", served.Schedules.Select(s => s.Name))}.");
        }

        if (served.Scheduler is not { } scheduler)
        {
            throw new ApiProblem(StatusCodes.Status409Conflict, $"This server does not run the project's schedules: {served.Holder ?? "another process"} does; trigger '{RequestParameters.Shown(name)}' there.");
        }

        var run = scheduler.TriggerAsync(name);
        if (!wait)
        {
            return TypedResults.Accepted("/api/v1/schedules");
        }

        return TypedResults.Ok(await run.WaitAsync(cancellationToken));
    }

    private static ServedSchedules Served(HttpContext context) =>
        context.RequestServices.GetService<ServedSchedules>()
        ?? throw new ApiProblem(StatusCodes.Status404NotFound, "This server runs no schedules: the project has none under schedules: in sluice.yml.");
}
