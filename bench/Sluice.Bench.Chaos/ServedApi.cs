using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Bench.Chaos;

/// <summary><c>sluice serve</c> on a free loopback port as a child process, ready when <c>/health/live</c> answers.</summary>
public sealed class ServedApi : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private ServedApi(Process process, Uri address)
    {
        (_process, Address) = (process, address);
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public Uri Address { get; }

    public static async Task<ServedApi> StartAsync(SluiceCli cli, string projectDirectory)
    {
        var port = FreePort();
        var api = new ServedApi(cli.Start(projectDirectory, ["serve", "--port", port.ToString(CultureInfo.InvariantCulture)]), new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = api.Address, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (api._process.HasExited)
            {
                throw new InvalidOperationException($"sluice serve exited {api._process.ExitCode}: {await api._stderr}{await api._stdout}");
            }

            try
            {
                using var response = await client.GetAsync("/health/live");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return api;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await api.DisposeAsync();
        throw new TimeoutException($"sluice serve did not answer on {api.Address} within two minutes.");
    }

    /// <summary>Kills the server outright, as a crash would.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Everything the server wrote so far, once it has exited.</summary>
    public async Task<string> OutputAsync() => _process.HasExited ? await _stdout + await _stderr : string.Empty;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM stops the server as Ctrl+C does.
            using (var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await signal.WaitForExitAsync();
            }

            var exited = _process.WaitForExitAsync();
            if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(30))) != exited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
