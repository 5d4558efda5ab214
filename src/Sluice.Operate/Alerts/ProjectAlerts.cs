using Sluice.Core.Metrics;
using Sluice.Core.Models;
using Sluice.Core.Warehouse;
using Sluice.Operate.Notify;
using Sluice.Operate.Schedules;

namespace Sluice.Operate.Alerts;

/// <summary>A project's alerts.yml, read against the rest of the project, and the watch that keeps its rules evaluated.</summary>
public static class ProjectAlerts
{
    /// <summary>The rules of the project's alerts.yml, as <see cref="Read(ParsedProject, IReadOnlyList{Schedule}, IReadOnlyList{NotificationChannel})"/>; the models are parsed only when there is one.</summary>
    public static IReadOnlyList<AlertRule> Read(Core.Project.SluiceProject project, IReadOnlyList<Schedule> schedules, IReadOnlyList<NotificationChannel> channels) =>
        File.Exists(Path.Combine(project.Directory, AlertsReader.FileName))
            ? Read(ProjectParser.Parse(project), schedules, channels)
            : [];

    /// <summary>
    /// The rules of the project's alerts.yml (none without one), each name it uses checked
    /// against metrics.yml, the models, the schedules, the synced tables and the channels.
    /// </summary>
    /// <exception cref="Core.Project.ConfigurationException">A rule is not valid or names something that does not exist; the message names alerts.yml's line.</exception>
    public static IReadOnlyList<AlertRule> Read(ParsedProject project, IReadOnlyList<Schedule> schedules, IReadOnlyList<NotificationChannel> channels)
    {
        if (!File.Exists(Path.Combine(project.Project.Directory, AlertsReader.FileName)))
        {
            return [];
        }

        var metrics = MetricsReader.Read(project).Metrics.Select(m => m.Name);
        var references = new AlertReferences(
            metrics.ToHashSet(StringComparer.Ordinal),
            project.Nodes.Keys.ToHashSet(StringComparer.Ordinal),
            schedules.Select(s => s.Name).ToHashSet(StringComparer.Ordinal),
            project.SyncedSources.Where(s => s.Value is not null).SelectMany(s => s.Value!.Select(t => $"{s.Key}.{t}")).ToHashSet(StringComparer.Ordinal),
            channels.Select(c => c.Name).ToHashSet(StringComparer.Ordinal))
        {
            OpenSources = project.SyncedSources.Where(s => s.Value is null).Select(s => s.Key).ToHashSet(StringComparer.Ordinal),
        };
        return AlertsReader.Read(project.Project.Directory, references, project.Project.Environment);
    }

    /// <summary>
    /// The engine and watch for <paramref name="rules"/>: transitions that are told go to each
    /// rule's channels through <paramref name="notifier"/>, which records every delivery and
    /// never throws for a receiver's failure.
    /// </summary>
    /// <param name="project">The project's name, for the notifications.</param>
    /// <param name="rules">alerts.yml's rules.</param>
    /// <param name="channels">The channels of sluice.yml.</param>
    /// <param name="openSession">Opens a session on the project's warehouse.</param>
    /// <param name="metrics">Reads metric conditions; null when none can be read (no metric rules then).</param>
    /// <param name="notifier">Sends the notifications.</param>
    /// <param name="clock">The time.</param>
    /// <param name="failed">Told when a rule, or an evaluation, fails; the watch goes on.</param>
    public static AlertWatch Watch(
        string project,
        IReadOnlyList<AlertRule> rules,
        IReadOnlyList<NotificationChannel> channels,
        Func<CancellationToken, Task<IWarehouseSession>> openSession,
        Func<IWarehouseSession, MetricCondition, DateTimeOffset, CancellationToken, Task<IReadOnlyList<AlertObservation>>>? metrics,
        Notifier notifier,
        TimeProvider clock,
        Action<string?, Exception> failed)
    {
        var engine = new AlertEngine(
            rules,
            openSession,
            new AlertProbes(metrics),
            (rule, transition, cancellationToken) =>
                notifier.SendAsync(Notifications.Alert(project, rule, transition), channels.Where(c => rule.Channels.Contains(c.Name)), cancellationToken),
            clock,
            (rule, e) => failed(rule.Name, e));
        return new AlertWatch(engine, clock, e => failed(null, e));
    }
}
