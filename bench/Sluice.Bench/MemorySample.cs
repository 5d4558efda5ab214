namespace Sluice.Bench;

/// <summary>The process's memory after a number of connection cycles.</summary>
internal readonly record struct MemorySample(int Cycles, long ResidentBytes, long ManagedBytes)
{
    /// <summary>
    /// Collects garbage first, so that the figures show what is still held rather than when the
    /// GC last ran; what remains of resident memory beyond the managed heap is native (DuckDB).
    /// </summary>
    public static MemorySample Take(int cycles)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var resident = ProcFiles.Kilobytes("/proc/self/status", "VmRSS") ?? Environment.WorkingSet;
        return new MemorySample(cycles, resident, GC.GetTotalMemory(forceFullCollection: false));
    }
}
