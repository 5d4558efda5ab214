using Sluice.Core.Models;
using Sluice.Models.Run;
using Sluice.Models.State;

namespace Sluice.Bench;

/// <summary>A build that reports nothing as it goes: the benchmark prints its own lines.</summary>
internal sealed class QuietRun : IRunObserver
{
    public void Started(ModelDefinition model, int index, int total)
    {
    }

    public void PartitionFinished(ModelDefinition model, DatePartition partition, JobStatus status, int done, int total)
    {
    }

    public void Finished(NodeResult result, int index, int total)
    {
    }
}
