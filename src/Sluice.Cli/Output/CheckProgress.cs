using Sluice.Checks;

namespace Sluice.Cli.Output;

/// <summary>Shows each check as it finishes: status, name, what it checked, failing rows of rows in scope, seconds; and why, when it did not pass.</summary>
internal sealed class CheckProgress(TextWriter output) : ICheckObserver
{
    private readonly Lock _lock = new();

    public void Finished(CheckResult result)
    {
        var check = result.Check;
        var what = check.Target is null ? string.Empty : check.Target.DisplayName + (check.Column is null ? string.Empty : $".{check.Column}");
        var rows = result.FailingRows is { } failing && result.RowsInScope is { } inScope && check.Kind.CountsRows
            ? $"{Tables.Count(failing)} of {Tables.Count(inScope)} failing"
            : result.FailingRows is { } count && count > 0 ? $"{Tables.Count(count)} failing" : string.Empty;
        var line = $"  {Status(result.Status),-7} {check.Name,-44} {what,-32} {rows,-24} {RunProgress.Seconds(result.Duration),7}";
        lock (_lock)
        {
            output.WriteLine(Core.Project.SecretMasker.Mask(line.TrimEnd()));
            if (result.Status != CheckStatus.Pass && result.Message is { } message)
            {
                output.WriteLine(Core.Project.SecretMasker.Mask($"          {message}"));
            }
        }
    }

    public static string Status(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "PASS",
        CheckStatus.Warn => "WARN",
        CheckStatus.Fail => "FAIL",
        CheckStatus.Error => "ERROR",
        _ => "SKIP",
    };
}
