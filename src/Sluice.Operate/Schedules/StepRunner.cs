namespace Sluice.Operate.Schedules;

/// <summary>
/// Runs one command of a schedule (such as <c>build --select marts</c>), writing its results to
/// <paramref name="output"/> and its notes to <paramref name="error"/>; returns its exit code.
/// <c>sluice schedule</c> runs the sluice command line in-process; <c>sluice serve</c> runs it as
/// one of its jobs, so that scheduled and asked-for jobs take turns.
/// </summary>
public delegate Task<int> StepRunner(string command, IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken);
