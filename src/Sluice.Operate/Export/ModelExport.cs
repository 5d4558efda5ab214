namespace Sluice.Operate.Export;

/// <summary>How one model's export ended.</summary>
public enum ExportStatus
{
    /// <summary>Its file was written and put in place.</summary>
    Exported,

    /// <summary>It failed; the folder keeps whatever file an earlier export left under its name.</summary>
    Failed,
}

/// <summary>What the export of one model did.</summary>
/// <param name="Target">The model.</param>
/// <param name="Status">Exported or failed.</param>
/// <param name="Rows">The rows written, when exported.</param>
/// <param name="Bytes">The file's size, when exported.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Error">Why it failed: one line naming the model and what to do; null when exported.</param>
public sealed record ModelExport(ExportTarget Target, ExportStatus Status, long? Rows, long? Bytes, TimeSpan Duration, string? Error)
{
    /// <summary>True when the failure is the model's configuration (no unique_key, a key that is not unique, a clashing column) rather than the warehouse or the disk.</summary>
    public bool IsConfigurationFault { get; init; }
}
