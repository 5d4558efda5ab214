using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using NATS.Client.Core;

namespace Sluice.Testing;

/// <summary>
/// A throwaway NATS server for a test: the installed nats-server on a free loopback port, with a
/// generated user and password, its log and pid file in a temp directory, killed and deleted on
/// dispose or when the test process exits. Each test starts its own (one starts in milliseconds),
/// so that killing it (<see cref="KillAsync"/>) touches no other test.
/// </summary>
public sealed class NatsServer : IAsyncDisposable
{
    private const string DirectoryPrefix = "sluice-nats-";
    private const string InstallHint =
        "nats-server was not found. Install it with `apt-get install nats-server` " +
        "(the test command does this when run as root), or set SLUICE_NATS_SERVER to the program.";

    private readonly string _program;
    private readonly string _directory;
    private Process? _process;
    private int _disposed;

    private NatsServer(string program, string directory, int port, string password)
    {
        _program = program;
        _directory = directory;
        Port = port;
        Password = password;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The user clients log in as.</summary>
    public string User => "sluice";

    /// <summary>The user's password.</summary>
    public string Password { get; }

    /// <summary>A nats:// URL as sluice.yml would hold it; without the user and password unless asked.</summary>
    public string Url(bool withPassword = true) => $"nats://{(withPassword ? $"{User}:{Password}@" : "")}127.0.0.1:{Port}";

    /// <summary>Starts a server of the caller's own.</summary>
    public static async Task<NatsServer> StartAsync()
    {
        var program = ThrowawayServers.FindProgram("nats-server", "SLUICE_NATS_SERVER", InstallHint, "/usr/sbin", "/usr/bin", "/usr/local/bin");
        ThrowawayServers.RemoveStopped(DirectoryPrefix, (pid, directory) => ThrowawayServers.CommandLineHas(pid, directory));
        return await ThrowawayServers.StartOnFreePortAsync(
            DirectoryPrefix,
            (directory, port) => new NatsServer(program, directory, port, Convert.ToHexString(Guid.NewGuid().ToByteArray())),
            server => server.StartProcessAsync(),
            server => server.PortWasTaken(),
            server => server.Stop());
    }

    /// <summary>Kills the server as a crash would: connections are cut and new ones refused.</summary>
    public Task KillAsync()
    {
        if (_process is { } process)
        {
            ThrowawayServers.Kill(process);
            _process = null;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Subscribes to <paramref name="subject"/> as the server's user; returns once the server has
    /// the subscription, so that a message published from then on reaches it.
    /// </summary>
    public async Task<NatsSubscriber> SubscribeAsync(string subject)
    {
        var connection = new NatsConnection(NatsOpts.Default with
        {
            Url = Url(withPassword: false),
            AuthOpts = NatsAuthOpts.Default with { Username = User, Password = Password },
        });
        try
        {
            var subscription = await connection.SubscribeCoreAsync<byte[]>(subject);
            await connection.PingAsync();
            return new NatsSubscriber(connection, subscription);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills and deletes the server.</summary>
    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo(_program)
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--addr", "127.0.0.1",
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--user", User,
            "--pass", Password,
            "--log", Path.Combine(_directory, "nats.log"),
            "--pid", Path.Combine(_directory, "nats.pid"),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_program}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        File.WriteAllText(Path.Combine(_directory, "server.pid"), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(_directory, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await WaitUntilUpAsync(process);
    }

    // Up when it greets a connection with its INFO line.
    private async Task WaitUntilUpAsync(Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nats-server exited with code {process.ExitCode} while starting: {Log()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                using var reader = new StreamReader(client.GetStream(), Encoding.UTF8);
                if ((await reader.ReadLineAsync())?.StartsWith("INFO ", StringComparison.Ordinal) == true)
                {
                    return;
                }
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"nats-server did not answer on port {Port} within 30 seconds: {Log()}");
            }

            await Task.Delay(20);
        }
    }

    private string Log()
    {
        var log = Path.Combine(_directory, "nats.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(5)) : "(no log)";
    }

    private bool PortWasTaken() => Log().Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    private void Stop()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_process is { } process)
        {
            ThrowawayServers.Kill(process);
        }

        ThrowawayServers.TryDelete(_directory);
    }

}

/// <summary>A message a <see cref="NatsSubscriber"/> got.</summary>
/// <param name="Subject">The subject it was published on.</param>
/// <param name="Headers">Its headers.</param>
/// <param name="Body">Its body as UTF-8 text.</param>
public sealed record NatsReceived(string Subject, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>A subscription of a test to a <see cref="NatsServer"/>'s subject.</summary>
public sealed class NatsSubscriber : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly INatsSub<byte[]> _subscription;
    private readonly List<NatsReceived> _received = [];

    internal NatsSubscriber(NatsConnection connection, INatsSub<byte[]> subscription) => (_connection, _subscription) = (connection, subscription);

    /// <summary>
    /// Every message received so far, once the server has answered a PING: a message whose
    /// publisher had its own PING answered before this call (sluice waits for that) has been
    /// routed to this subscription before the server answers ours, so it is among them.
    /// </summary>
    public async Task<IReadOnlyList<NatsReceived>> ReceivedAsync()
    {
        await _connection.PingAsync();
        while (_subscription.Msgs.TryRead(out var message))
        {
            _received.Add(new NatsReceived(
                message.Subject,
                message.Headers?.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.Ordinal) ?? [],
                Encoding.UTF8.GetString(message.Data ?? [])));
        }

        return [.. _received];
    }

    public async ValueTask DisposeAsync()
    {
        await _subscription.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
