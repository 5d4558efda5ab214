using Sluice.Core.Checks;
using Sluice.Core.Models;
using Sluice.Models.Run;
using Sluice.Models.State;

namespace Sluice.Checks;

/// <summary>
/// The checks of <c>sluice build</c>: each check runs as soon as the models it reads have been
/// built in this run (over the partitions built, for a partitioned model), before their
/// dependants start; the checks of a source run before the first model that reads it. An
/// error-severity failure stops the descendants of what it checked; warnings stop nothing.
/// </summary>
public sealed class BuildChecks : IRunGate
{
    private readonly CheckRunner _runner;
    private readonly CheckRunOptions _options;
    private readonly ICheckObserver _observer;
    private readonly IReadOnlyList<CheckDefinition> _sourceChecks;
    private readonly Dictionary<CheckDefinition, HashSet<string>> _waiting = [];
    private readonly Dictionary<(string, string), Task<IReadOnlyList<CheckResult>>> _sources = [];
    private readonly List<CheckResult> _results = [];
    private readonly Lock _lock = new();

    /// <param name="project">The project.</param>
    /// <param name="runner">Runs the checks.</param>
    /// <param name="checks">The checks of the selected resources and the sources they read.</param>
    /// <param name="built">The resources the run builds.</param>
    /// <param name="options">The run's id and clock; partitions come from what each model built.</param>
    /// <param name="observer">Hears about each check.</param>
    public BuildChecks(ParsedProject project, CheckRunner runner, IReadOnlyList<CheckDefinition> checks, IReadOnlySet<string> built, CheckRunOptions options, ICheckObserver observer)
    {
        _runner = runner;
        _options = options;
        _observer = observer;
        _sourceChecks = [.. checks.Where(c => c.Target is { IsSource: true })];
        foreach (var check in checks.Where(c => c.Target is null or { IsSource: false }))
        {
            var waiting = check.Models.Where(built.Contains).ToHashSet(StringComparer.Ordinal);
            if (waiting.Count > 0)
            {
                _waiting[check] = waiting;
            }
        }
    }

    /// <summary>Every check result so far, in the order they finished.</summary>
    public IReadOnlyList<CheckResult> Results
    {
        get
        {
            lock (_lock)
            {
                return [.. _results];
            }
        }
    }

    /// <inheritdoc />
    public async Task<string?> BeforeAsync(ModelDefinition model, CancellationToken cancellationToken)
    {
        foreach (var source in model.SourceRefs.Select(s => (s.Source, s.Table)).Distinct())
        {
            Task<IReadOnlyList<CheckResult>> running;
            lock (_lock)
            {
                if (!_sources.TryGetValue(source, out running!))
                {
                    var checks = _sourceChecks.Where(c => c.Target!.Source == source.Source && c.Target.Table == source.Table).ToList();
                    running = _sources[source] = RunAsync(checks, _options, cancellationToken);
                }
            }

            if ((await running).FirstOrDefault(r => r.IsBlocking) is { } failed)
            {
                return $"the check '{failed.Check.Name}' on source {failed.Check.Target!.DisplayName} {Failed(failed)}";
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async Task<string?> AfterAsync(NodeResult result, CancellationToken cancellationToken)
    {
        var ready = new List<CheckDefinition>();
        lock (_lock)
        {
            foreach (var (check, waiting) in _waiting)
            {
                if (waiting.Remove(result.Name) && waiting.Count == 0)
                {
                    ready.Add(check);
                }
            }

            foreach (var check in ready)
            {
                _waiting.Remove(check);
            }
        }

        if (ready.Count == 0)
        {
            return null;
        }

        if (result.Status != JobStatus.Success)
        {
            Skip(ready, $"'{result.Name}' {(result.Status == JobStatus.Failed ? "failed" : "was skipped")}");
            return null;
        }

        var options = _options;
        if (result.Built is { } partitions)
        {
            if (partitions.Count == 0)
            {
                Skip(ready, $"no partition of '{result.Name}' was built in this run");
                return null;
            }

            options = options with
            {
                Partitions = new Dictionary<string, IReadOnlyList<DatePartition>>(_options.Partitions, StringComparer.Ordinal) { [result.Name] = partitions },
            };
        }

        var results = await RunAsync(ready, options, cancellationToken);
        return results.FirstOrDefault(r => r.IsBlocking && (r.Check.Target?.Model == result.Name || r.Check.Kind is SingularCheck)) is { } failed
            ? $"the check '{failed.Check.Name}' on '{result.Name}' {Failed(failed)}"
            : null;
    }

    private async Task<IReadOnlyList<CheckResult>> RunAsync(IReadOnlyList<CheckDefinition> checks, CheckRunOptions options, CancellationToken cancellationToken)
    {
        var results = await _runner.RunAsync(checks, options, _observer, cancellationToken);
        lock (_lock)
        {
            _results.AddRange(results);
        }

        return results;
    }

    private void Skip(IEnumerable<CheckDefinition> checks, string reason)
    {
        foreach (var check in checks)
        {
            var skipped = new CheckResult(check, CheckStatus.Skipped, null, null, null, $"skipped because {reason}", null, TimeSpan.Zero);
            lock (_lock)
            {
                _results.Add(skipped);
            }

            _observer.Finished(skipped);
        }
    }

    private static string Failed(CheckResult result) => result.Status == CheckStatus.Error ? "could not run" : "failed";
}
