using Sluice.Core.Models;

namespace Sluice.Models.Run;

/// <summary>
/// What a run consults around each resource: <c>sluice build</c> runs checks here, so that a
/// failing error-severity check stops what depends on the checked data.
/// </summary>
public interface IRunGate
{
    /// <summary>Before <paramref name="model"/> builds: why it must not, or null to go on.</summary>
    Task<string?> BeforeAsync(ModelDefinition model, CancellationToken cancellationToken);

    /// <summary>After a resource finished (built, failed or skipped), before its dependants start: why they must not build, or null.</summary>
    Task<string?> AfterAsync(NodeResult result, CancellationToken cancellationToken);
}
