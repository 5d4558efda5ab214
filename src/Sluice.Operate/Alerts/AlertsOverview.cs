using Sluice.Core.Warehouse;

namespace Sluice.Operate.Alerts;

/// <summary>A rule of alerts.yml with where its alerts stand, as <c>sluice alerts</c> and <c>GET /api/v1/alerts</c> show it.</summary>
/// <param name="Name">The rule's name.</param>
/// <param name="Condition">Its condition's kind.</param>
/// <param name="Severity">info, warning or critical.</param>
/// <param name="State">FIRING when one of its alerts fires, else PENDING when one is pending, else OK; DISABLED when the rule is.</param>
/// <param name="Alerts">Its pending and firing alerts, one per subject.</param>
/// <param name="SilencedUntil">When the silence covering it ends, or null.</param>
/// <param name="EverySeconds">How often it is evaluated on its own.</param>
/// <param name="RenotifySeconds">While firing, how often it is told again; null for once.</param>
/// <param name="Channels">The channels it tells.</param>
/// <param name="Description">What it means.</param>
public sealed record AlertRuleView(
    string Name, string Condition, string Severity, string State, IReadOnlyList<AlertStatus> Alerts, DateTimeOffset? SilencedUntil,
    double EverySeconds, double? RenotifySeconds, IReadOnlyList<string> Channels, string? Description);

/// <summary>The alerts of a project: every rule and its alerts, the silences in force, and the latest transitions.</summary>
/// <param name="Rules">alerts.yml's rules, in its order.</param>
/// <param name="Silences">The silences in force.</param>
/// <param name="Recent">The latest transitions, newest first.</param>
public sealed record AlertsOverview(IReadOnlyList<AlertRuleView> Rules, IReadOnlyList<AlertSilence> Silences, IReadOnlyList<AlertEvent> Recent)
{
    /// <summary>Reads where <paramref name="rules"/>' alerts stand at <paramref name="now"/>, with the latest <paramref name="recent"/> transitions.</summary>
    public static async Task<AlertsOverview> ReadAsync(IWarehouseSession session, IReadOnlyList<AlertRule> rules, DateTimeOffset now, int recent, CancellationToken cancellationToken)
    {
        var states = await AlertStore.LoadAsync(session, cancellationToken);
        var silences = await AlertStore.ActiveSilencesAsync(session, now, cancellationToken);
        var events = await AlertStore.RecentEventsAsync(session, recent, null, cancellationToken);
        var views = rules.Select(rule =>
        {
            var alerts = states.Values.Where(s => s.Rule == rule.Name).OrderBy(s => s.Subject, StringComparer.Ordinal).ToList();
            var state = !rule.Enabled ? "DISABLED"
                : alerts.Any(a => a.State == AlertState.Firing) ? "FIRING"
                : alerts.Count > 0 ? "PENDING"
                : "OK";
            return new AlertRuleView(
                rule.Name,
                rule.Condition.Kind,
                rule.Severity.ToString().ToLowerInvariant(),
                state,
                alerts,
                silences.Where(s => s.Rule == rule.Name).Select(s => (DateTimeOffset?)s.EndsAt).Max(),
                rule.Every.TotalSeconds,
                rule.Renotify?.TotalSeconds,
                rule.Channels,
                rule.Description);
        }).ToList();
        return new AlertsOverview(views, silences, events);
    }
}
