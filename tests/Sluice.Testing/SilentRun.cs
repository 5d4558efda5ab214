using Sluice.Core.Models;
using Sluice.Models.Run;
using Sluice.Models.State;

namespace Sluice.Testing;

/// <summary>A run observer that shows nothing, for fixtures that build models before their tests.</summary>
public sealed class SilentRun : IRunObserver
{
    /// <inheritdoc />
    public void Started(ModelDefinition model, int index, int total)
    {
    }

    /// <inheritdoc />
    public void PartitionFinished(ModelDefinition model, DatePartition partition, JobStatus status, int done, int total)
    {
    }

    /// <inheritdoc />
    public void Finished(NodeResult result, int index, int total)
    {
    }
}
