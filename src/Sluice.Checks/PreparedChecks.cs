namespace Sluice.Checks;

/// <summary>
/// Checks compiled against the warehouse and ready to run (<see cref="CheckRunner.PrepareAsync"/>);
/// a check that did not compile holds the error it will be reported with.
/// </summary>
public sealed class PreparedChecks
{
    internal PreparedChecks(CheckRunOptions options, IReadOnlyList<PreparedCheck> checks)
    {
        Options = options;
        Checks = checks;
    }

    /// <summary>The options they were compiled with.</summary>
    public CheckRunOptions Options { get; }

    /// <summary>One line per check that cannot run as declared, naming its file and line and what is wrong.</summary>
    public IReadOnlyList<string> Problems => [.. Checks.Where(c => c.Failure is not null).Select(c => c.Failure!.Message!)];

    internal IReadOnlyList<PreparedCheck> Checks { get; }
}

/// <summary>One check after compilation: its plan, or the error that stopped it, and the time compiling took.</summary>
internal sealed record PreparedCheck(Core.Checks.CheckDefinition Check, CheckPlan? Plan, CheckResult? Failure, TimeSpan Compile);
