using Sluice.Core.Checks;

namespace Sluice.Checks;

/// <summary>How a check came out.</summary>
public enum CheckStatus
{
    /// <summary>No failing rows, or few enough for <c>mostly</c>.</summary>
    Pass,

    /// <summary>It failed, with severity warn (or a freshness check is past warn_after only).</summary>
    Warn,

    /// <summary>It failed, with severity error.</summary>
    Fail,

    /// <summary>It could not run: its SQL failed, or what it checks is missing.</summary>
    Error,

    /// <summary>It did not run, because what it checks was not built in this run.</summary>
    Skipped,
}

/// <summary>The outcome of one check.</summary>
/// <param name="Check">The check.</param>
/// <param name="Status">How it came out.</param>
/// <param name="FailingRows">Rows that fail it (for a check of the table as a whole, 1 when it fails).</param>
/// <param name="RowsInScope">Rows it looked at, after <c>where</c> and the partitions of the run; null for a singular check.</param>
/// <param name="Sample">Up to 20 failing rows as a JSON array, or what a table check measured.</param>
/// <param name="Message">One line on what failed, or why it could not run.</param>
/// <param name="Scope">The partitions it covered, or null for the whole relation.</param>
/// <param name="Duration">Wall time.</param>
public sealed record CheckResult(
    CheckDefinition Check,
    CheckStatus Status,
    long? FailingRows,
    long? RowsInScope,
    string? Sample,
    string? Message,
    string? Scope,
    TimeSpan Duration)
{
    /// <summary>Failing rows over rows in scope, when both are known.</summary>
    public double? FailingRatio => RowsInScope is > 0 && FailingRows is { } failing && Check.Kind.CountsRows ? (double)failing / RowsInScope.Value : null;

    /// <summary>Whether it fails the command and stops what depends on the checked model.</summary>
    public bool IsBlocking => Status is CheckStatus.Fail or CheckStatus.Error;

    /// <summary>The status as results and reports write it: pass, warn, fail, error, skipped.</summary>
    public string StatusName => Status.ToString().ToLowerInvariant();
}

/// <summary>Hears about checks as they finish, for the terminal; must not throw.</summary>
public interface ICheckObserver
{
    /// <summary>A check finished.</summary>
    void Finished(CheckResult result);
}
