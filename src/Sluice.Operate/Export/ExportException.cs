using Sluice.Core.Project;

namespace Sluice.Operate.Export;

/// <summary>
/// A model that cannot be exported; the message names the model, its file or relation, and what
/// to do. <see cref="IsConfiguration"/> says whether the project's configuration is at fault
/// (exit code 2) rather than the data or the warehouse's state (exit code 1).
/// </summary>
public sealed class ExportException(string message, bool isConfiguration = false, Exception? innerException = null) : SluiceException(message, innerException)
{
    /// <summary>True when a change to the model's configuration fixes it: a missing or wrong unique_key, a clashing column.</summary>
    public bool IsConfiguration { get; } = isConfiguration;
}
