namespace Sluice.Bench;

/// <summary>Resident memory over the connection cycles, and the verdict on its growth.</summary>
internal sealed record MemoryResult(int Cycles, int WarmupCycles, IReadOnlyList<MemorySample> Checkpoints, TimeSpan Elapsed)
{
    /// <summary>Growth after warm-up below this fraction counts as stable.</summary>
    public const double StableGrowth = 0.10;

    public MemorySample Start => Checkpoints[0];

    public MemorySample AfterWarmup => Checkpoints.First(c => c.Cycles >= WarmupCycles);

    public MemorySample End => Checkpoints[^1];

    public double Growth => (End.ResidentBytes - AfterWarmup.ResidentBytes) / (double)AfterWarmup.ResidentBytes;

    public bool Stable => Growth < StableGrowth;

    public string Verdict => Stable ? "stable" : "GROWING";

    public TimeSpan PerCycle => Elapsed / Cycles;
}
