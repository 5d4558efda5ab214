using System.Globalization;
using System.Runtime.InteropServices;
using Sluice.DuckDb;

namespace Sluice.Bench;

/// <summary>
/// Where and with what the figures were measured. Throughput depends on all of it, so it is
/// printed with every result and recorded in the markdown.
/// </summary>
internal sealed record MachineInfo(
    DateTimeOffset Date,
    string Cpu,
    int Cores,
    long MemoryBytes,
    string OperatingSystem,
    string DotNet,
    string DuckDb,
    string Build,
    string? LoadAtStart)
{
    public string Machine => $"{Cpu}, {Cores} cores, {Format.Bytes(MemoryBytes)} RAM, {OperatingSystem}";

    public string DateText => Date.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Prints the run's title, machine and software, and a warning when the sizes are not the documented ones.</summary>
    public void PrintHeader(string title, bool isDefaultSize)
    {
        Console.WriteLine($"{title} — {DateText}");
        Console.WriteLine($"  {Machine}");
        Console.WriteLine($"  {DotNet}, DuckDB {DuckDb}, {Build}");
        if (!isDefaultSize)
        {
            Console.WriteLine("  Non-default sizes: a smoke test, not representative figures.");
        }
    }

    public static MachineInfo Detect() => new(
        DateTimeOffset.UtcNow,
        CpuModel(),
        Environment.ProcessorCount,
        TotalMemory(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        DuckDbConnection.LibraryVersion,
#if DEBUG
        "Debug build: figures are NOT representative, use bench/run",
#else
        "Release build",
#endif
        ProcFiles.LoadAverage());

    private static string CpuModel()
    {
        var model = ProcFiles.Field("/proc/cpuinfo", "model name");
        return model ?? RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static long TotalMemory()
    {
        // MemTotal is the machine's RAM; the GC's figure would shrink to a container limit.
        return ProcFiles.Kilobytes("/proc/meminfo", "MemTotal") ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
