namespace Sluice.Core.Checks;

/// <summary>Reads the values only checks have, with errors at their line.</summary>
internal static class CheckValues
{
    public static CheckSeverity? Severity(string text) => text.ToLowerInvariant() switch
    {
        "error" => CheckSeverity.Error,
        "warn" or "warning" => CheckSeverity.Warn,
        _ => null,
    };
}
