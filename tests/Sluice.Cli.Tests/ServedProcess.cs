using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Cli.Tests;

/// <summary>
/// A sluice process that serves HTTP on a free loopback port until it is sent SIGTERM, as a
/// service manager stops it.
/// </summary>
public sealed class ServedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;
    private readonly Task<string> _output;

    private ServedProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        _errors = process.StandardError.ReadToEndAsync();
        _output = process.StandardOutput.ReadToEndAsync();
    }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    /// <summary>Everything the process wrote to standard error, once it has stopped.</summary>
    public Task<string> Errors => _errors;

    /// <summary>Everything the process wrote to standard output, once it has stopped.</summary>
    public Task<string> Output => _output;

    /// <summary>The exit code, once it has stopped.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <c>sluice</c> with <paramref name="arguments"/> and <c>--port</c> on a free port,
    /// and waits (up to <paramref name="startup"/>, default 60 s) until <paramref name="announced"/> exists.
    /// </summary>
    public static async Task<ServedProcess> StartAsync(string directory, IReadOnlyList<string> arguments, string announced, TimeSpan? startup = null)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments.Prepend(SluiceProcess.AppPath).Append("--port").Append(port.ToString(CultureInfo.InvariantCulture)))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("COLUMNS");
        var served = new ServedProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"));
        var clock = Stopwatch.StartNew();
        while (!File.Exists(announced))
        {
            if (served._process.HasExited || clock.Elapsed > (startup ?? TimeSpan.FromSeconds(60)))
            {
                await served.DisposeAsync();
                Assert.Fail($"sluice {string.Join(' ', arguments)} did not start serving: {await served._errors}");
            }

            await Task.Delay(50);
        }

        return served;
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

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }

        await Task.WhenAll(_errors, _output);
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
