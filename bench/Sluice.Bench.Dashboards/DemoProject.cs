using System.Diagnostics;
using System.Globalization;

namespace Sluice.Bench;

/// <summary>
/// The ApplyLens example with generated data, written and built by <c>sluice demo --no-serve</c>
/// in a folder of its own: the project the dashboard benchmark serves.
/// </summary>
internal static class DemoProject
{
    /// <summary>Runs the demo into <paramref name="directory"/> and returns how long it took.</summary>
    public static async Task<TimeSpan> PrepareAsync(string sluiceDll, string directory, int days)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { sluiceDll, "demo", "--no-serve", "--dir", directory, "--days", days.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? clock.Elapsed
            : throw new InvalidOperationException($"sluice demo exited {process.ExitCode}:\n{await errors}\n{await output}");
    }

    /// <summary>The demo's last day of data: it generates days up to yesterday (UTC).</summary>
    public static DateOnly LastDay => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
}
