using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Sluice.Cli.Tests;

/// <summary>
/// A sluice process that serves HTTP on a loopback port it picks itself until it is sent
/// SIGTERM, as a service manager stops it.
/// </summary>
public sealed class ServedProcess : IAsyncDisposable
{
    // Guards against a process that never serves or never stops, not measures of speed.
    private static readonly TimeSpan DefaultStartup = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StopGuard = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly Task<string> _errors;
    private readonly Task<string> _output;

    private ServedProcess(Process process)
    {
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
        _output = process.StandardOutput.ReadToEndAsync();
    }

    /// <summary>Where it listens, as its announcement says.</summary>
    public Uri Url { get; private set; } = null!;

    public int ProcessId => _process.Id;

    /// <summary>Everything the process wrote to standard error, once it has stopped.</summary>
    public Task<string> Errors => _errors;

    /// <summary>Everything the process wrote to standard output, once it has stopped.</summary>
    public Task<string> Output => _output;

    /// <summary>The exit code, once it has stopped.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <c>sluice</c> with <paramref name="arguments"/> and <c>--port 0</c>, so that it binds
    /// a free port itself, and waits until <paramref name="announced"/>, the announcement next to
    /// its DuckDB file, names its address.
    /// <paramref name="startup"/> (default 5 minutes) guards against a process that never serves.
    /// </summary>
    public static async Task<ServedProcess> StartAsync(string directory, IReadOnlyList<string> arguments, string announced, TimeSpan? startup = null)
    {
        var served = Start(directory, arguments, 0);
        var deadline = Stopwatch.StartNew();
        string? url;
        while ((url = Announced(announced, served.ProcessId)) is null)
        {
            await served.GuardStartupAsync(arguments, deadline, startup);
            await Task.Delay(50);
        }

        served.Url = new Uri(url + "/");
        return served;
    }

    /// <summary>
    /// Starts <c>sluice</c> with <paramref name="arguments"/> on a free loopback port, for a
    /// project on a server warehouse (which has no announcement file), and waits until its
    /// <c>/health/live</c> answers.
    /// </summary>
    public static async Task<ServedProcess> StartOnFreePortAsync(string directory, IReadOnlyList<string> arguments, TimeSpan? startup = null)
    {
        var served = Start(directory, arguments, Testing.ThrowawayServers.FreePort());
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(served.Url, "health/live"));
                if (response.IsSuccessStatusCode)
                {
                    return served;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await served.GuardStartupAsync(arguments, deadline, startup);
            await Task.Delay(50);
        }
    }

    private static ServedProcess Start(string directory, IReadOnlyList<string> arguments, int port)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments.Prepend(SluiceProcess.AppPath).Append("--port").Append(port.ToString(CultureInfo.InvariantCulture)))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("COLUMNS");
        return new ServedProcess(Process.Start(start)!) { Url = new Uri($"http://127.0.0.1:{port}/") };
    }

    private async Task GuardStartupAsync(IReadOnlyList<string> arguments, Stopwatch deadline, TimeSpan? startup)
    {
        if (_process.HasExited || deadline.Elapsed > (startup ?? DefaultStartup))
        {
            await DisposeAsync();
            Assert.Fail($"sluice {string.Join(' ', arguments)} did not start serving within {(startup ?? DefaultStartup).TotalSeconds} s: {await _errors}");
        }
    }

    /// <summary>Sends SIGTERM and waits for the process to exit.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(StopGuard);
            await _process.WaitForExitAsync(timeout.Token);
        }

        await Task.WhenAll(_errors, _output);
    }

    // The address in the announcement, once the process with this id has written it.
    private static string? Announced(string file, int processId)
    {
        try
        {
            var holder = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
            return holder.GetProperty("pid").GetInt32() == processId ? holder.GetProperty("url").GetString() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}
