using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Sluice.Testing;

/// <summary>
/// A throwaway Redis for a test: the installed redis-server on a free loopback port, with a
/// random password (<c>--requirepass</c>), no persistence (<c>--save ''</c>, no append-only
/// file) and its folder in a temp directory, killed and deleted on dispose or when the test
/// process exits. Each test starts its own (one starts in milliseconds), so that killing it
/// (<see cref="KillAsync"/>) and starting it again on the same port (<see cref="StartAgainAsync"/>)
/// touches no other test.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const string DirectoryPrefix = "sluice-redis-";
    private const string InstallHint =
        "redis-server was not found. Install it with `apt-get install redis-server` " +
        "(the test command does this when run as root), or set SLUICE_REDIS_SERVER to the program.";

    private readonly string _program;
    private readonly string _directory;
    private Process? _process;
    private int _disposed;

    private RedisServer(string program, string directory, int port, string password)
    {
        _program = program;
        _directory = directory;
        Port = port;
        Password = password;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The password clients must give (AUTH).</summary>
    public string Password { get; }

    /// <summary>A redis:// URL as sluice.yml would hold it; without the password unless asked.</summary>
    public string Url(bool withPassword = true, int database = 0) =>
        $"redis://{(withPassword ? ":" + Password + "@" : "")}127.0.0.1:{Port}/{database}";

    /// <summary>Starts a server of the caller's own.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var program = ThrowawayServers.FindProgram("redis-server", "SLUICE_REDIS_SERVER", InstallHint, "/usr/bin", "/usr/local/bin");
        // redis-server renames itself to its address, so its program's name, not its folder, tells
        // a leftover server from a process that took its pid since.
        ThrowawayServers.RemoveStopped(DirectoryPrefix, (pid, _) => ThrowawayServers.CommandLineHas(pid, "redis-server"));
        return await ThrowawayServers.StartOnFreePortAsync(
            DirectoryPrefix,
            (directory, port) => new RedisServer(program, directory, port, Convert.ToHexString(Guid.NewGuid().ToByteArray())),
            server => server.StartAgainAsync(),
            server => server.PortWasTaken(),
            server => server.Stop());
    }

    /// <summary>Kills the server as a crash would: connections are cut and new ones refused, until <see cref="StartAgainAsync"/>.</summary>
    public Task KillAsync()
    {
        if (_process is { } process)
        {
            ThrowawayServers.Kill(process);
            _process = null;
        }

        return Task.CompletedTask;
    }

    /// <summary>Starts a killed server again on the same port and with the same password, empty; returns when it answers.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(_program)
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--requirepass", Password,
            "--save", "",
            "--appendonly", "no",
            "--dir", _directory,
            "--logfile", Path.Combine(_directory, "redis.log"),
            "--daemonize", "no",
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

    /// <summary>Sends one command (AUTH first) and returns the reply's first line, such as "+PONG" or ":3".</summary>
    public async Task<string> CommandAsync(params string[] command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encode(["AUTH", Password]));
        await stream.WriteAsync(Encode(command));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var auth = await reader.ReadLineAsync();
        if (auth != "+OK")
        {
            throw new InvalidOperationException($"redis-server refused AUTH: {auth}");
        }

        var reply = await reader.ReadLineAsync() ?? string.Empty;
        if (reply.StartsWith('$') && reply != "$-1")
        {
            reply = await reader.ReadLineAsync() ?? string.Empty;
        }

        return reply;
    }

    /// <summary>Kills and deletes the server.</summary>
    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private static byte[] Encode(string[] command)
    {
        var text = new StringBuilder().Append('*').Append(command.Length).Append("\r\n");
        foreach (var part in command)
        {
            text.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private async Task WaitUntilUpAsync(Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} while starting: {Log()}");
            }

            try
            {
                if (await CommandAsync("PING") == "+PONG")
                {
                    return;
                }
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidOperationException)
            {
                // Not listening, or loading, yet.
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"redis-server did not answer on port {Port} within 30 seconds: {Log()}");
            }

            await Task.Delay(20);
        }
    }

    private string Log()
    {
        var log = Path.Combine(_directory, "redis.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(5)) : "(no log)";
    }

    private bool PortWasTaken() => Log().Contains("Address already in use", StringComparison.Ordinal);

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
