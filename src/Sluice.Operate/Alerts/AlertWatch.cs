using System.Threading.Channels;
using Sluice.Operate.Schedules;

namespace Sluice.Operate.Alerts;

/// <summary>
/// Keeps alerts.yml's rules evaluated while Sluice runs: each rule on its own <c>every</c>, and
/// the rules a run can change as soon as that run ends (<see cref="AfterRun"/>), so that a failed
/// check is told within seconds rather than at the next interval. Runs beside the scheduler, in
/// <c>sluice serve</c> and <c>sluice schedule</c>.
/// </summary>
/// <param name="engine">Evaluates the rules and tells their channels.</param>
/// <param name="clock">The time.</param>
/// <param name="failed">Told when an evaluation as a whole fails (the warehouse is unreachable); the watch goes on.</param>
public sealed class AlertWatch(AlertEngine engine, TimeProvider clock, Action<Exception> failed)
{
    // The kinds read from _sluice.job_runs, which every build of a model, seed or snapshot adds to.
    private static readonly string[] JobRuns = ["job_duration", "job_failed", "job_rows"];

    // What each command can change, by the condition kinds whose answer it may move.
    private static readonly Dictionary<string, string[]> Affected = new(StringComparer.Ordinal)
    {
        ["sync"] = ["freshness", "sync_lag", "parity"],
        ["parity"] = ["parity"],
        ["run"] = [.. JobRuns, "partition_late", "metric"],
        ["build"] = [.. JobRuns, "partition_late", "metric", "check_failed"],
        ["backfill"] = [.. JobRuns, "partition_late", "metric"],
        ["seed"] = [.. JobRuns, "metric"],
        ["snapshot"] = [.. JobRuns, "metric"],
        ["test"] = ["check_failed"],
    };

    private readonly Channel<IReadOnlyList<string>> _runs = Channel.CreateUnbounded<IReadOnlyList<string>>();
    private volatile object? _waitingUntil; // a boxed DateTimeOffset, read and written whole
    private int _evaluations;

    /// <summary>While the watch waits for its next rule to be due: when that is. Null while it evaluates.</summary>
    public DateTimeOffset? WaitingUntil => _waitingUntil as DateTimeOffset?;

    /// <summary>Evaluations done since the watch started.</summary>
    public int Evaluations => Volatile.Read(ref _evaluations);

    /// <summary>
    /// Asks for the rules a scheduled run of <paramref name="commands"/> can change to be
    /// evaluated now: the schedule rules always, and each command's kinds (a build's checks and
    /// job runs, a sync's freshness and parity). Returns at once; the watch evaluates them.
    /// </summary>
    public void AfterRun(IReadOnlyList<string> commands) => _runs.Writer.TryWrite(commands);

    /// <summary>Looks at a scheduler's event: when a run ends, the rules its commands can change are evaluated.</summary>
    public void Observe(ScheduleEvent e, IReadOnlyList<Schedule> schedules)
    {
        if (e.Kind is ScheduleEventKind.Succeeded or ScheduleEventKind.Failed or ScheduleEventKind.TimedOut
            && schedules.FirstOrDefault(s => s.Name == e.Schedule) is { } schedule)
        {
            AfterRun([.. schedule.Steps.Select(s => s.Command)]);
        }
    }

    /// <summary>The condition kinds a run of <paramref name="commands"/> can change.</summary>
    public static IReadOnlySet<string> KindsAfter(IEnumerable<string> commands) =>
        commands.SelectMany(c => Affected.GetValueOrDefault(c) ?? []).Append("schedule").ToHashSet(StringComparer.Ordinal);

    /// <summary>Evaluates every rule now, then each when it is due or a run asks for it, until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var rules = engine.Rules.Where(r => r.Enabled).ToList();
        if (rules.Count == 0)
        {
            return;
        }

        var start = clock.GetUtcNow();
        var due = rules.ToDictionary(r => r.Name, _ => start, StringComparer.Ordinal);
        while (!stopping.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var kinds = new HashSet<string>(StringComparer.Ordinal);
            while (_runs.Reader.TryRead(out var commands))
            {
                kinds.UnionWith(KindsAfter(commands));
            }

            var timed = rules.Where(r => due[r.Name] <= now).ToList();
            var evaluating = rules.Where(r => timed.Contains(r) || kinds.Contains(r.Condition.Kind)).ToList();
            if (evaluating.Count == 0)
            {
                await WaitAsync(now, due.Values.Min(), stopping);
                continue;
            }

            try
            {
                await engine.EvaluateAsync(evaluating, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failed(e);
            }

            // A rule evaluated after a run keeps its own interval; a timed one counts from now.
            foreach (var rule in timed)
            {
                due[rule.Name] = now + rule.Every;
            }

            Interlocked.Increment(ref _evaluations);
        }
    }

    private async Task WaitAsync(DateTimeOffset now, DateTimeOffset next, CancellationToken stopping)
    {
        using var woken = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var wait = next - now;
        var delay = Task.Delay(wait, clock, woken.Token);

        // As the scheduler does: a clock that moved since it was read ends the wait at once.
        if (clock.GetUtcNow() - now < wait)
        {
            _waitingUntil = next;
            var run = _runs.Reader.WaitToReadAsync(woken.Token).AsTask();
            await Task.WhenAny(delay, run);
            _waitingUntil = null;
        }

        await woken.CancelAsync();
    }
}
