using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sluice.Operate.Alerts;
using Sluice.Server.Access;
using Sluice.Server.Http;
using Sluice.Server.Queries;

namespace Sluice.Server.Api;

/// <summary>The silences a rule had that were ended.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Ended">How many silences were in force and are now over.</param>
public sealed record SilencesEnded(string Rule, int Ended);

/// <summary>
/// <c>/api/v1/alerts</c> (admin keys): alerts.yml's rules with their pending and firing alerts,
/// the silences in force and the latest transitions; and silencing a rule, as
/// <c>sluice alerts silence</c> does.
/// </summary>
internal static class AlertsApi
{
    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/alerts", ListAsync).RequireAdminKey().WithName("alerts").ReadsWarehouse()
            .WithSummary("alerts.yml's rules, each with its state (OK, PENDING, FIRING, DISABLED), its alerts by subject and its silence; the silences in force; the latest `recent` transitions (20 by default).");
        api.MapPost("/alerts/{rule}/silence", SilenceAsync).RequireAdminKey().WithName("silence_alert")
            .WithSummary("Silences a rule `for` a duration (such as 2h; at most 30 days), with an optional `reason`: its alerts are still evaluated and recorded, but nobody is told.");
        api.MapDelete("/alerts/{rule}/silence", UnsilenceAsync).RequireAdminKey().WithName("unsilence_alert")
            .WithSummary("Ends the silences of a rule now.");
        return api;
    }

    private static async Task<Ok<AlertsOverview>> ListAsync(HttpContext context, QueryRunner runner, ServeSettings settings, TimeProvider clock, CancellationToken cancellationToken)
    {
        var query = new RequestParameters(context.Request.Query);
        var recent = query.Int("recent", 20, 0, 1000);
        query.RejectUnknown();
        var overview = await runner.Warehouse.ReadAsync(
            (session, token) => AlertsOverview.ReadAsync(session, settings.Alerts, clock.GetUtcNow(), recent, token), cancellationToken);
        return TypedResults.Ok(overview);
    }

    private static async Task<Created<AlertSilence>> SilenceAsync(string rule, HttpContext context, QueryRunner runner, ServeSettings settings, TimeProvider clock, CancellationToken cancellationToken)
    {
        var query = new RequestParameters(context.Request.Query);
        var length = query.Text("for") is { } text
            ? AlertStore.SilenceLength(text)
                ?? throw ApiProblem.BadParameter("for", $"for '{RequestParameters.Shown(text)}' is not a duration from 1s to 30d; give one such as 2h.")
            : throw ApiProblem.BadParameter("for", "Give how long the silence lasts, such as for=2h.");
        var reason = query.Text("reason");
        query.RejectUnknown();
        Known(settings, rule);
        var now = clock.GetUtcNow();
        var by = Caller.Of(context) is { Key: null } ? "the API (no keys, loopback)" : $"the API, key {Caller.Of(context).Name}";
        await using var session = await runner.Warehouse.OpenSessionAsync(cancellationToken);
        var id = await AlertStore.SilenceAsync(session, rule, now, now + length, reason, by, cancellationToken);
        return TypedResults.Created("/api/v1/alerts", new AlertSilence(id, rule, now, now + length, reason, by));
    }

    private static async Task<Ok<SilencesEnded>> UnsilenceAsync(string rule, HttpContext context, QueryRunner runner, ServeSettings settings, TimeProvider clock, CancellationToken cancellationToken)
    {
        new RequestParameters(context.Request.Query).RejectUnknown();
        Known(settings, rule);
        await using var session = await runner.Warehouse.OpenSessionAsync(cancellationToken);
        return TypedResults.Ok(new SilencesEnded(rule, await AlertStore.EndSilencesAsync(session, rule, clock.GetUtcNow(), cancellationToken)));
    }

    private static void Known(ServeSettings settings, string rule)
    {
        if (settings.Alerts.All(r => r.Name != rule))
        {
            throw ApiProblem.NotFound("rule", settings.Alerts.Count == 0
                ? $"There is no alert rule '{RequestParameters.Shown(rule)}': the project has no alerts.yml."
                : $"There is no alert rule '{RequestParameters.Shown(rule)}'; the rules are {string.Join(", ", settings.Alerts.Select(r => r.Name))}.");
        }
    }
}
