namespace Sluice.Operate.Alerts;

/// <summary>How urgent an alert is.</summary>
public enum AlertSeverity
{
    /// <summary>For the record.</summary>
    Info,

    /// <summary>Someone should look today.</summary>
    Warning,

    /// <summary>Someone should look now.</summary>
    Critical,
}

/// <summary>
/// One rule of alerts.yml: a condition, how long it must hold before the alert fires, and whom
/// to tell. An alert goes pending when the condition first holds, firing once it has held for
/// <see cref="For"/> evaluations in a row, and resolved when it stops holding.
/// </summary>
/// <param name="Name">Its name, unique in alerts.yml.</param>
/// <param name="Condition">What it watches.</param>
/// <param name="Severity">How urgent it is.</param>
/// <param name="For">Evaluations in a row the condition must hold before firing (1: at once).</param>
/// <param name="Every">How often it is evaluated on its own, besides after each relevant run.</param>
/// <param name="Renotify">While firing, how often it is told again; null for only once.</param>
/// <param name="Channels">The notification channels to tell; empty for the file's default.</param>
/// <param name="Description">What it means and what to do, for the notification.</param>
/// <param name="Enabled">False keeps it defined but never evaluated.</param>
/// <param name="Line">Its line in alerts.yml.</param>
public sealed record AlertRule(
    string Name,
    AlertCondition Condition,
    AlertSeverity Severity,
    int For,
    TimeSpan Every,
    TimeSpan? Renotify,
    IReadOnlyList<string> Channels,
    string? Description,
    bool Enabled,
    int Line);
