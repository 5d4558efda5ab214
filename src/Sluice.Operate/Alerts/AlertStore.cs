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
