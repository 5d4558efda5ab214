using Sluice.Core.Project;
using System.Globalization;
using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Alerts;

/// <summary>
/// The alerts' state in <c>_sluice</c>: the pending and firing alerts, every transition, and the
/// silences. An evaluation's transitions and the states they leave are written in one transaction.
/// </summary>
public static class AlertStore
{
    /// <summary>Pending and firing alerts.</summary>
    public static readonly TableName States = new(MetadataSchema.Name, "alert_states");

    /// <summary>Every transition.</summary>
    public static readonly TableName Events = new(MetadataSchema.Name, "alert_events");

    /// <summary>Silences.</summary>
    public static readonly TableName Silences = new(MetadataSchema.Name, "alert_silences");

    /// <summary>The pending and firing alerts, by rule and subject.</summary>
    public static async Task<Dictionary<(string Rule, string Subject), AlertStatus>> LoadAsync(IWarehouseSession session, CancellationToken cancellationToken)
    {
        var states = new Dictionary<(string, string), AlertStatus>();
        await using var reader = await session.QueryAsync(
            $"select rule_name, subject, state, consecutive, since, last_notified_at, value, summary from {session.Warehouse.Dialect.Quote(States)}", null, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var status = new AlertStatus(
                reader.GetString(0),
                reader.GetString(1),
                Enum.Parse<AlertState>(reader.GetString(2), ignoreCase: true),
                Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : Convert.ToDouble(reader.GetValue(6), CultureInfo.InvariantCulture),
                reader.GetString(7));
            states[(status.Rule, status.Subject)] = status;
        }

        return states;
    }

    /// <summary>The rules a silence covers at <paramref name="now"/>.</summary>
    public static async Task<IReadOnlySet<string>> SilencedAsync(IWarehouseSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rules = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await session.QueryAsync(
            $"select distinct rule_name from {session.Warehouse.Dialect.Quote(Silences)} where starts_at <= $1 and ends_at > $1", [now], cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rules.Add(reader.GetString(0));
        }

        return rules;
    }

    /// <summary>The longest silence: a rule to be kept quiet for longer should be disabled in alerts.yml instead.</summary>
    public static readonly TimeSpan LongestSilence = TimeSpan.FromDays(30);

    /// <summary>A silence's length as written (such as 2h), or null when it is not a duration from 1s to <see cref="LongestSilence"/>.</summary>
    public static TimeSpan? SilenceLength(string text) =>
        Durations.TryParse(text) is { } length && length > TimeSpan.Zero && length <= LongestSilence ? length : null;

    /// <summary>Silences <paramref name="rule"/> from <paramref name="from"/> until <paramref name="until"/>; returns the silence's id.</summary>
    public static async Task<string> SilenceAsync(IWarehouseSession session, string rule, DateTimeOffset from, DateTimeOffset until, string? reason, string by, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7().ToString("N");
        await session.ExecuteAsync(
            $"insert into {session.Warehouse.Dialect.Quote(Silences)} (id, rule_name, starts_at, ends_at, reason, created_by) values ($1, $2, $3, $4, $5, $6)",
            [id, rule, from, until, reason, by],
            cancellationToken);
        return id;
    }

    /// <summary>The silences in force at <paramref name="now"/>, the longest-lasting first.</summary>
    public static async Task<IReadOnlyList<AlertSilence>> ActiveSilencesAsync(IWarehouseSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var silences = new List<AlertSilence>();
        await using var reader = await session.QueryAsync(
            $"select id, rule_name, starts_at, ends_at, reason, created_by from {session.Warehouse.Dialect.Quote(Silences)} where starts_at <= $1 and ends_at > $1 order by ends_at desc, id",
            [now],
            cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            silences.Add(new AlertSilence(
                reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)));
        }

        return silences;
    }

    /// <summary>Ends the silences of <paramref name="rule"/> in force at <paramref name="now"/>; returns how many there were.</summary>
    public static Task<int> EndSilencesAsync(IWarehouseSession session, string rule, DateTimeOffset now, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"update {session.Warehouse.Dialect.Quote(Silences)} set ends_at = $2 where rule_name = $1 and starts_at <= $2 and ends_at > $2",
            [rule, now],
            cancellationToken);

    /// <summary>The latest <paramref name="limit"/> transitions, newest first; of <paramref name="rule"/> only when given.</summary>
    public static async Task<IReadOnlyList<AlertEvent>> RecentEventsAsync(IWarehouseSession session, int limit, string? rule, CancellationToken cancellationToken)
    {
        var events = new List<AlertEvent>();
        await using var reader = await session.QueryAsync(
            $"""
            select id, rule_name, subject, kind, severity, occurred_at, value, summary, notify, silenced
            from {session.Warehouse.Dialect.Quote(Events)}
            {(rule is null ? string.Empty : "where rule_name = $1")}
            order by occurred_at desc, id desc
            limit {limit.ToString(CultureInfo.InvariantCulture)}
            """,
            rule is null ? null : [rule],
            cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new AlertEvent(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                Enum.Parse<AlertEventKind>(reader.GetString(3), ignoreCase: true),
                reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : Convert.ToDouble(reader.GetValue(6), CultureInfo.InvariantCulture),
                reader.GetString(7),
                reader.GetBoolean(8),
                reader.GetBoolean(9)));
        }

        return events;
    }

    /// <summary>Records an evaluation: its transitions, and the states of the alerts it evaluated (the others are untouched).</summary>
    public static async Task RecordAsync(
        IWarehouseSession session, IReadOnlyCollection<(string Rule, string Subject)> evaluated, IReadOnlyCollection<AlertStatus> states,
        IReadOnlyCollection<(AlertTransition Transition, AlertSeverity Severity)> transitions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dialect = session.Warehouse.Dialect;
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        foreach (var (rule, subject) in evaluated)
        {
            await session.ExecuteAsync($"delete from {dialect.Quote(States)} where rule_name = $1 and subject = $2", [rule, subject], cancellationToken);
        }

        foreach (var state in states)
        {
            await session.ExecuteAsync(
                $"insert into {dialect.Quote(States)} (rule_name, subject, state, consecutive, since, last_notified_at, value, summary, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                [state.Rule, state.Subject, state.State.ToString().ToUpperInvariant(), state.Consecutive, state.Since, state.LastNotifiedAt, state.Value, state.Summary, now],
                cancellationToken);
        }

        foreach (var (transition, severity) in transitions)
        {
            await session.ExecuteAsync(
                $"insert into {dialect.Quote(Events)} (id, rule_name, subject, kind, severity, occurred_at, value, summary, notify, silenced) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                [Guid.CreateVersion7().ToString("N"), transition.Alert.Rule, transition.Alert.Subject, transition.Kind.ToString().ToUpperInvariant(), severity.ToString().ToLowerInvariant(),
                    transition.At, transition.Alert.Value, transition.Alert.Summary, transition.Notify, transition.Silenced],
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>A silence of a rule: while it lasts, the rule's transitions are recorded but nobody is told.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Rule">The rule.</param>
/// <param name="StartsAt">When it began.</param>
/// <param name="EndsAt">When it ends.</param>
/// <param name="Reason">Why, as given.</param>
/// <param name="CreatedBy">Who made it: the CLI's user and machine, or the API.</param>
public sealed record AlertSilence(string Id, string Rule, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Reason, string CreatedBy);

/// <summary>A recorded transition of an alert.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Rule">The rule.</param>
/// <param name="Subject">What it is about.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Severity">The rule's severity: info, warning or critical.</param>
/// <param name="OccurredAt">When.</param>
/// <param name="Value">The measured value, when there is one.</param>
/// <param name="Summary">What was wrong.</param>
/// <param name="Notify">Whether it was to be told.</param>
/// <param name="Silenced">Whether a silence kept it from being told.</param>
public sealed record AlertEvent(
    string Id, string Rule, string Subject, AlertEventKind Kind, string Severity, DateTimeOffset OccurredAt, double? Value, string Summary, bool Notify, bool Silenced);
