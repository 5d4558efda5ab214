using Sluice.Server.Access;

namespace Sluice.Server;

/// <summary>How <c>sluice serve</c> listens, whom it answers and how much (the <c>serve:</c> section of sluice.yml).</summary>
/// <param name="Host">The address to listen on: an IP address or "localhost".</param>
/// <param name="Port">The port; 0 picks a free one.</param>
public sealed record ServeSettings(string Host = "127.0.0.1", int Port = 8080)
{
    /// <summary>How many warehouse queries run at once; further requests wait.</summary>
    public int QueryConcurrency { get; init; } = Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>The answer cache.</summary>
    public Http.CacheSettings Cache { get; init; } = new();

    /// <summary>The API keys; without any, the server listens on loopback only and every caller sees everything.</summary>
    public IReadOnlyList<ApiKey> ApiKeys { get; init; } = [];

    /// <summary>How many requests each client (by address) may send to /health and its probes per minute.</summary>
    public int HealthPerMinute { get; init; } = 30;

    /// <summary>
    /// The version /health and the OpenAPI description report: the <c>sluice</c> command's, which it
    /// passes on, so that both say what <c>sluice --version</c> says.
    /// </summary>
    public string Version { get; init; } = SluiceServer.Version;

    /// <summary>
    /// The project's schedules, which the server runs as jobs beside the API while it holds the
    /// project's scheduler hold (<see cref="Sluice.Operate.Schedules.SchedulerHold"/>); none by default.
    /// </summary>
    public IReadOnlyList<Sluice.Operate.Schedules.Schedule> Schedules { get; init; } = [];

    /// <summary>The notification channels of sluice.yml, which schedules' <c>notify</c> name.</summary>
    public IReadOnlyList<Sluice.Operate.Notify.NotificationChannel> Channels { get; init; } = [];

    /// <summary>
    /// The rules of alerts.yml (<see cref="Sluice.Operate.Alerts.ProjectAlerts.Read(Sluice.Core.Models.ParsedProject, IReadOnlyList{Sluice.Operate.Schedules.Schedule}, IReadOnlyList{Sluice.Operate.Notify.NotificationChannel})"/>),
    /// evaluated while this server runs the project's schedules; none by default.
    /// </summary>
    public IReadOnlyList<Sluice.Operate.Alerts.AlertRule> Alerts { get; init; } = [];

    /// <summary>How often a server whose project's schedules another process runs checks whether it may take them over.</summary>
    public TimeSpan StandbyPoll { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the scheduler's lease in Redis lasts without renewal, where the warehouse cannot hold the scheduler itself (ClickHouse).</summary>
    public TimeSpan SchedulerLease { get; init; } = Sluice.Server.Schedules.RedisSchedulerHolds.DefaultTimeToLive;

    /// <summary>
    /// The clock the server reads: uptime, the days and months of budgets, cache expiry, keys'
    /// request rates, job times. The system's, except in tests that move time themselves.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
