using System.Diagnostics;

namespace Sluice.Bench;

/// <summary>Runs the sluice CLI as users do, <c>dotnet sluice.dll …</c> as a child process, to its end.</summary>
internal static class SluiceCommand
{
    /// <summary>
    /// Runs <c>sluice <paramref name="arguments"/></c> and returns how long it took and what it
    /// printed on standard output; a non-zero exit stops with what it printed.
    /// </summary>
    public static async Task<(TimeSpan Elapsed, string Output)> RunAsync(string sluiceDll, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(sluiceDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed;
        return process.ExitCode == 0
            ? (elapsed, await output)
            : throw new InvalidOperationException($"sluice {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await errors}\n{await output}");
    }
}
