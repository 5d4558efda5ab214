using Sluice.Core.Warehouse;
using Sluice.Warehouses.Metadata;

namespace Sluice.Operate.Alerts;

/// <summary>
/// Evaluates alert rules against the warehouse: finds the subjects each condition holds for,
/// moves each alert through its states (<see cref="AlertStateMachine"/>), records the transitions
/// and the states in <c>_sluice</c> in one transaction, then tells the rules' channels about
/// those that are to be told. Telling never fails an evaluation: <paramref name="notify"/> records
/// and logs its own failures.
/// </summary>
/// <param name="rules">The rules of alerts.yml.</param>
/// <param name="openSession">Opens a session on the project's warehouse.</param>
/// <param name="probes">Reads the conditions.</param>
/// <param name="notify">Tells a transition's rule's channels.</param>
/// <param name="clock">The time.</param>
/// <param name="failed">
/// Told when a rule's condition cannot be read (a metric's relation is missing, a query fails):
/// that rule's alerts stay as they stood and the other rules are evaluated.
/// </param>
public sealed class AlertEngine(
    IReadOnlyList<AlertRule> rules,
    Func<CancellationToken, Task<IWarehouseSession>> openSession,
    AlertProbes probes,
    Func<AlertRule, AlertTransition, CancellationToken, Task> notify,
    TimeProvider clock,
    Action<AlertRule, Exception>? failed = null)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>The rules.</summary>
    public IReadOnlyList<AlertRule> Rules => rules;

    /// <summary>Evaluates <paramref name="selected"/> (the enabled rules, by default) now; returns the transitions.</summary>
    public async Task<IReadOnlyList<AlertTransition>> EvaluateAsync(IEnumerable<AlertRule>? selected = null, CancellationToken cancellationToken = default)
    {
        // One evaluation at a time: two at once would both read an alert as pending and both fire it.
        await _one.WaitAsync(cancellationToken);
        try
        {
            return await EvaluateOnceAsync([.. (selected ?? rules).Where(r => r.Enabled)], cancellationToken);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<IReadOnlyList<AlertTransition>> EvaluateOnceAsync(IReadOnlyList<AlertRule> evaluating, CancellationToken cancellationToken)
    {
        if (evaluating.Count == 0)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var transitions = new List<(AlertTransition Transition, AlertSeverity Severity)>();
        await using (var session = await openSession(cancellationToken))
        {
            await MetadataSchema.MigrateAsync(session, cancellationToken: cancellationToken);
            var states = await AlertStore.LoadAsync(session, cancellationToken);
            var silenced = await AlertStore.SilencedAsync(session, now, cancellationToken);
            var evaluated = new List<(string, string)>();
            var next = new List<AlertStatus>();
            foreach (var rule in evaluating)
            {
                Dictionary<string, AlertObservation> observed;
                try
                {
                    observed = (await probes.ObserveAsync(session, rule.Condition, now, cancellationToken))
                        .GroupBy(o => o.Subject, StringComparer.Ordinal)
                        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
                }
                catch (Exception e) when (e is not OperationCanceledException && failed is not null)
                {
                    failed(rule, e);
                    continue;
                }

                var subjects = states.Keys.Where(k => k.Rule == rule.Name).Select(k => k.Subject).Union(observed.Keys).Order(StringComparer.Ordinal);
                foreach (var subject in subjects)
                {
                    var (after, transition) = AlertStateMachine.Step(rule, states.GetValueOrDefault((rule.Name, subject)), observed.GetValueOrDefault(subject), now, silenced.Contains(rule.Name));
                    evaluated.Add((rule.Name, subject));
                    if (after is not null)
                    {
                        next.Add(after);
                    }

                    if (transition is not null)
                    {
                        transitions.Add((transition, rule.Severity));
                    }
                }
            }

            await AlertStore.RecordAsync(session, evaluated, next, transitions, now, cancellationToken);
        }

        // Told after the record is committed: a crash in between loses a notification rather than
        // telling about a transition that the warehouse does not have.
        foreach (var (transition, _) in transitions.Where(t => t.Transition.Notify))
        {
            await notify(evaluating.First(r => r.Name == transition.Alert.Rule), transition, cancellationToken);
        }

        return [.. transitions.Select(t => t.Transition)];
    }
}
