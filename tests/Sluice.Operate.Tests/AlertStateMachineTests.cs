using Sluice.Operate.Alerts;

namespace Sluice.Operate.Tests;

public sealed class AlertStateMachineTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_rule_with_for_3_fires_on_the_third_evaluation_in_a_row_and_resolves_when_it_stops_holding()
    {
        var rule = Rule(@for: 3, renotify: null);
        var steps = Run(rule, [true, true, true, true, false], silencedAt: []);

        Assert.Equal(
            [AlertEventKind.Pending, null, AlertEventKind.Firing, null, AlertEventKind.Resolved],
            steps.Select(s => s.Transition?.Kind));
        Assert.Equal([false, false, true, false, true], steps.Select(s => s.Transition?.Notify ?? false));
        Assert.Equal([AlertState.Pending, AlertState.Pending, AlertState.Firing, AlertState.Firing, (AlertState?)null], steps.Select(s => s.Next?.State));
        Assert.Equal(3, steps[2].Next!.Consecutive);
        Assert.Equal(Start.AddMinutes(10), steps[2].Next!.Since);
    }

    [Fact]
    public void A_condition_that_stops_before_firing_is_cleared_and_nobody_is_told()
    {
        var steps = Run(Rule(@for: 3, renotify: null), [true, true, false, true], silencedAt: []);

        Assert.Equal([AlertEventKind.Pending, null, AlertEventKind.Cleared, AlertEventKind.Pending], steps.Select(s => s.Transition?.Kind));
        Assert.DoesNotContain(steps, s => s.Transition?.Notify == true);
        Assert.Equal(1, steps[3].Next!.Consecutive);
    }

    [Fact]
    public void A_firing_alert_is_told_once_then_again_each_renotify_interval()
    {
        // Evaluated every 5 minutes, renotified every 15.
        var steps = Run(Rule(@for: 1, renotify: TimeSpan.FromMinutes(15)), [true, true, true, true, true, true, true], silencedAt: []);

        Assert.Equal(
            [AlertEventKind.Firing, null, null, AlertEventKind.Renotified, null, null, AlertEventKind.Renotified],
            steps.Select(s => s.Transition?.Kind));
        Assert.Equal(Start.AddMinutes(30), steps[6].Next!.LastNotifiedAt);
        Assert.Equal(Start, steps[6].Next!.Since);
    }

    [Fact]
    public void A_silence_keeps_the_transitions_but_tells_nobody()
    {
        var steps = Run(Rule(@for: 1, renotify: TimeSpan.FromMinutes(5)), [true, true, false], silencedAt: [0, 1, 2]);

        Assert.Equal([AlertEventKind.Firing, AlertEventKind.Renotified, AlertEventKind.Resolved], steps.Select(s => s.Transition?.Kind));
        Assert.All(steps, s => Assert.Equal((false, true), (s.Transition!.Notify, s.Transition.Silenced)));
    }

    private static AlertRule Rule(int @for, TimeSpan? renotify) =>
        new("checks", new CheckFailedCondition([], false), AlertSeverity.Warning, @for, TimeSpan.FromMinutes(5), renotify, [], null, true, 1);

    // Evaluates the rule every 5 minutes from Start; `holds[i]` says whether the condition held.
    private static List<(AlertStatus? Next, AlertTransition? Transition)> Run(AlertRule rule, bool[] holds, int[] silencedAt)
    {
        var steps = new List<(AlertStatus?, AlertTransition?)>();
        AlertStatus? current = null;
        for (var i = 0; i < holds.Length; i++)
        {
            var observed = holds[i] ? new AlertObservation("not_null_orders_id", i, $"evaluation {i}") : null;
            var step = AlertStateMachine.Step(rule, current, observed, Start.AddMinutes(5 * i), silencedAt.Contains(i));
            steps.Add(step);
            current = step.Next;
        }

        return steps;
    }
}
