using System.Diagnostics;
using System.Globalization;

namespace Sluice.Bench;

/// <summary>What one wrk run measured. Latencies are wrk's, from its corrected histogram.</summary>
internal sealed record WrkResult(string Path, int Connections, int Seconds, long Requests, long Errors, long BadStatus, TimeSpan P50, TimeSpan P95, TimeSpan P99, TimeSpan Max)
{
    public double RequestsPerSecond => Requests / (double)Seconds;
}

/// <summary>
/// Runs the Debian <c>wrk</c> load generator against a URL with an API key, and reads its
/// figures from a line its Lua <c>done</c> hook prints.
/// </summary>
internal sealed class Wrk(string directory, string key)
{
    private const string Marker = "sluice-bench";

    /// <summary>Stops with what to install when wrk is missing.</summary>
    public static void Require()
    {
        if (!File.Exists("/usr/bin/wrk") && !File.Exists("/usr/local/bin/wrk"))
        {
            throw new InvalidOperationException("wrk is not installed; install it with `apt-get install wrk` (Debian package wrk).");
        }
    }

    public async Task<WrkResult> RunAsync(Uri server, string path, int connections, int seconds)
    {
        var script = Path.Combine(directory, "report.lua");
        await File.WriteAllTextAsync(script, $$"""
            wrk.headers["Authorization"] = "Bearer {{key}}"
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("{{Marker}} %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f\n",
                summary.requests, e.connect + e.read + e.write + e.timeout, e.status,
                latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, summary.duration))
            end
            """);
        var threads = Math.Min(connections, 2);
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-t", $"{threads}", "-c", $"{connections}", "-d", $"{seconds}s", "--timeout", "10s", "-s", script, new Uri(server, path).ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start wrk.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = (await output).Split('\n').FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no figures (exit {process.ExitCode}): {await errors}{await output}");
        var f = line[Marker.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        static TimeSpan Micros(double value) => TimeSpan.FromMicroseconds(value);
        var elapsedSeconds = (int)Math.Max(1, Math.Round(f[7] / 1e6));
        return new WrkResult(path, connections, elapsedSeconds, (long)f[0], (long)f[1], (long)f[2], Micros(f[3]), Micros(f[4]), Micros(f[5]), Micros(f[6]));
    }
}
