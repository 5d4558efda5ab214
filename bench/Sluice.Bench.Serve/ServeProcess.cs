using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Bench;

/// <summary><c>sluice serve</c> as users run it: a child process on a free loopback port, stopped with SIGINT.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ServeProcess(Process process, Uri address)
    {
        (_process, Address) = (process, address);

        // The server logs a line per request; keep the last few for a failure's message.
        process.ErrorDataReceived += (_, line) =>
        {
            lock (_lastLines)
            {
                _lastLines.Enqueue(line.Data ?? string.Empty);
                if (line.Data is { } text && (text.Contains("\"LogLevel\":\"Warning\"", StringComparison.Ordinal) || text.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal)) && Warnings.Count < 20)
                {
                    Warnings.Add(text);
                }
                if (_lastLines.Count > 20)
                {
                    _lastLines.Dequeue();
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    /// <summary>The server's warnings and errors so far (the first 20): a benchmark that caused any should say so.</summary>
    public List<string> Warnings { get; } = [];

    public static async Task<ServeProcess> StartAsync(string sluiceDll, string projectDirectory)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { sluiceDll, "--project-dir", projectDirectory, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        _ = process.StandardOutput.ReadToEndAsync();
        var server = new ServeProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = server.Address };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"sluice serve exited with {process.ExitCode}: {server.LastLines}");
            }

            try
            {
                using var response = await client.GetAsync("/health/live");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("sluice serve did not answer /health/live within two minutes.");
    }

    private string LastLines
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
