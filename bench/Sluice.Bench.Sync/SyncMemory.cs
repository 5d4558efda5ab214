using System.Diagnostics;

namespace Sluice.Bench;

/// <summary>Peak resident memory of one <c>sluice sync</c> process.</summary>
internal sealed record MemoryRun(string Warehouse, long Rows, long PeakBytes, TimeSpan Elapsed);

/// <summary>
/// Runs the real CLI, <c>dotnet sluice.dll sync</c>, as a child process on a fresh warehouse and
/// reads its high-water mark of resident memory (VmHWM) from /proc while it runs: the figure a
/// container limit would meet. A smaller and a larger table show whether memory grows with size.
/// </summary>
internal sealed class SyncMemory(BenchSource source, SyncBenchOptions options)
{
    public async Task<MemoryRun> RunAsync(string warehouse, string table, long rows, string? memoryLimit = null)
    {
        var directory = Directory.CreateTempSubdirectory("sluice-syncbench-memory-").FullName;
        source.WriteProject(directory, await source.WarehouseYamlAsync(warehouse, memoryLimit), table, "true");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { options.SluicePath!, "--project-dir", directory, "sync" })
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        long peakBytes = 0;
        var status = $"/proc/{process.Id}/status";
        while (!process.HasExited)
        {
            // VmHWM only grows, so the last reading before exit is the peak up to that moment.
            try
            {
                if (ProcFiles.Kilobytes(status, "VmHWM") is { } bytes)
                {
                    peakBytes = Math.Max(peakBytes, bytes);
                }
            }
            catch (IOException)
            {
                // The process ended between the check and the read.
            }

            await Task.Delay(10);
        }

        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"sluice sync exited with {process.ExitCode}: {await error}{await output}");
        }

        var line = (await error).Split('\n').FirstOrDefault(l => l.Contains("rows read", StringComparison.Ordinal)) ?? "";
        var label = memoryLimit is null ? warehouse : $"{warehouse} (memory_limit: {memoryLimit})";
        Console.WriteLine($"    {label}, {Format.Count(rows)} rows: peak RSS {Format.Bytes(peakBytes)} in {Format.Seconds(elapsed)} ({line.Trim()})");
        if (!line.Contains($"{Format.Count(rows)} rows read", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"sluice sync did not report {Format.Count(rows)} rows read: {await error}");
        }

        TryDelete(directory);
        return new MemoryRun(label, rows, peakBytes, elapsed);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
