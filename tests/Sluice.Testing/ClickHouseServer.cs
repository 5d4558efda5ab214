using System.Diagnostics;
using System.Security;

namespace Sluice.Testing;

/// <summary>
/// A throwaway ClickHouse server for a test run, started from the installed clickhouse-server
/// with a configuration in a temp folder (free loopback ports, a user with a password, UTC),
/// killed and deleted when the test process exits. One per test process, shared by its tests;
/// each test takes its own database from <see cref="CreateDatabaseAsync"/>. ClickHouse's
/// databases are what Sluice calls schemas, so a test that creates schemas of fixed names (raw,
/// _sluice) starts a server of its own with <see cref="StartPrivateAsync"/>; one starts in well
/// under a second.
/// </summary>
public sealed class ClickHouseServer : IAsyncDisposable
{
    /// <summary>The user tests log in as.</summary>
    public const string User = "sluice";

    private const string DirectoryPrefix = "sluice-ch-";
    private const string InstallHint =
        "clickhouse-server was not found. Install it with `apt-get install clickhouse-server` " +
        "(the test command does this when run as root), or set SLUICE_CLICKHOUSE_SERVER to the program.";

    private static readonly Lazy<Task<ClickHouseServer>> Shared = new(() => StartAsync(shared: true, "UTC"));
    private static int s_databases;

    private readonly Process _process;
    private readonly string _directory;
    private int _stopped;

    private readonly bool _shared;

    private ClickHouseServer(Process process, string directory, int httpPort, int tcpPort, string password, bool shared)
    {
        _shared = shared;
        _process = process;
        _directory = directory;
        HttpPort = httpPort;
        TcpPort = tcpPort;
        Password = password;
    }

    /// <summary>The port of the HTTP interface.</summary>
    public int HttpPort { get; }

    /// <summary>The port of the native protocol, which other servers of a cluster use.</summary>
    public int TcpPort { get; }

    /// <summary>The password of <see cref="User"/>.</summary>
    public string Password { get; }

    /// <summary>The server, started on first use.</summary>
    public static Task<ClickHouseServer> GetAsync() => Shared.Value;

    /// <summary>A server of the caller's own, in <paramref name="timeZone"/>, killed and deleted on dispose.</summary>
    public static Task<ClickHouseServer> StartPrivateAsync(string timeZone = "UTC") => StartAsync(shared: false, timeZone);

    /// <summary>Kills and deletes a private server; the shared one lives until the test process exits.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_shared)
        {
            Stop();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>An http:// URL for <paramref name="database"/> as sluice.yml would hold it; without the password unless asked.</summary>
    public string Url(string database, bool withPassword = true) =>
        $"http://{User}{(withPassword ? ":" + Password : "")}@127.0.0.1:{HttpPort}/{database}";

    /// <summary>Creates database <paramref name="schema"/> and returns a profiles.yml naming it as profile <paramref name="profile"/>'s target.</summary>
    public async Task<string> DbtProfilesAsync(string profile, string schema)
    {
        await QueryAsync($"create database {schema}");
        return $"""
            {profile}:
              target: ch
              outputs:
                ch:
                  type: clickhouse
                  host: 127.0.0.1
                  port: {HttpPort}
                  user: {User}
                  password: "{Password}"
                  schema: {schema}
                  threads: 2
            """;
    }

    /// <summary>Creates a fresh database whose name starts with <paramref name="prefix"/> and returns its URL.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{new string(prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(40).ToArray())}_{Environment.ProcessId}_{Interlocked.Increment(ref s_databases)}";
        await QueryAsync($"create database {name}");
        return Url(name);
    }

    /// <summary>Runs a statement as <see cref="User"/> and returns the reply's text (TabSeparated).</summary>
    public async Task<string> QueryAsync(string sql)
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}")));
        using var response = await client.PostAsync($"http://127.0.0.1:{HttpPort}/", new StringContent(sql));
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"ClickHouse refused `{sql}`: {text}");
    }

    private static async Task<ClickHouseServer> StartAsync(bool shared, string timeZone)
    {
        const int Attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var (httpPort, tcpPort) = (ThrowawayServers.FreePort(), ThrowawayServers.FreePort());
            var password = Convert.ToHexString(Guid.NewGuid().ToByteArray())[..16];
            if (await TryStartAsync(shared, timeZone, httpPort, tcpPort, password, string.Empty, attempt < Attempts) is { } server)
            {
                return server;
            }
        }
    }

    /// <summary>
    /// Starts a server on the given ports with <paramref name="extraConfig"/> in its config.xml;
    /// null when a port was taken between choosing it and the server binding it and
    /// <paramref name="mayRetry"/> says the caller will choose others.
    /// </summary>
    internal static async Task<ClickHouseServer?> TryStartAsync(bool shared, string timeZone, int httpPort, int tcpPort, string password, string extraConfig, bool mayRetry)
    {
        var program = ThrowawayServers.FindProgram("clickhouse-server", "SLUICE_CLICKHOUSE_SERVER", InstallHint, "/usr/sbin", "/usr/bin");
        ThrowawayServers.RemoveStopped(DirectoryPrefix, (pid, directory) => ThrowawayServers.CommandLineHas(pid, directory));
        var directory = Directory.CreateTempSubdirectory(DirectoryPrefix).FullName;
        await WriteConfigAsync(directory, httpPort, tcpPort, password, timeZone, extraConfig);
        var process = Start(program, directory);
        try
        {
            await WaitUntilUpAsync(process, directory, httpPort);
            var server = new ClickHouseServer(process, directory, httpPort, tcpPort, password, shared);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
            return server;
        }
        catch (InvalidOperationException) when (mayRetry && PortWasTaken(directory))
        {
            ThrowawayServers.Kill(process);
            ThrowawayServers.TryDelete(directory);
            return null;
        }
        catch
        {
            ThrowawayServers.Kill(process);
            throw;
        }
    }

    private static Task WriteConfigAsync(string directory, int httpPort, int tcpPort, string password, string timeZone, string extraConfig)
    {
        var config = $"""
            <?xml version="1.0"?>
            <yandex>
              <logger>
                <level>warning</level>
                <log>{directory}/server.log</log>
                <errorlog>{directory}/error.log</errorlog>
                <console>0</console>
              </logger>
              <listen_host>127.0.0.1</listen_host>
              <http_port>{httpPort}</http_port>
              <tcp_port>{tcpPort}</tcp_port>
              <path>{directory}/data/</path>
              <tmp_path>{directory}/tmp/</tmp_path>
              <user_files_path>{directory}/user_files/</user_files_path>
              <format_schema_path>{directory}/format_schemas/</format_schema_path>
              <users_config>users.xml</users_config>
              <default_profile>default</default_profile>
              <default_database>default</default_database>
              <timezone>{timeZone}</timezone>
              <mark_cache_size>268435456</mark_cache_size>
              <max_concurrent_queries>200</max_concurrent_queries>
              <merge_tree>
                <parts_to_delay_insert>300</parts_to_delay_insert>
                <parts_to_throw_insert>1000</parts_to_throw_insert>
              </merge_tree>
            {extraConfig}
            </yandex>
            """;
        var users = $"""
            <?xml version="1.0"?>
            <yandex>
              <profiles>
                <default>
                  <max_memory_usage>4000000000</max_memory_usage>
                  <log_queries>0</log_queries>
                </default>
              </profiles>
              <users>
                <{User}>
                  <password>{SecurityElement.Escape(password)}</password>
                  <networks><ip>127.0.0.1</ip></networks>
                  <profile>default</profile>
                  <quota>default</quota>
                </{User}>
              </users>
              <quotas>
                <default>
                  <interval>
                    <duration>3600</duration>
                    <queries>0</queries>
                    <errors>0</errors>
                    <result_rows>0</result_rows>
                    <read_rows>0</read_rows>
                    <execution_time>0</execution_time>
                  </interval>
                </default>
              </quotas>
            </yandex>
            """;
        return Task.WhenAll(
            File.WriteAllTextAsync(Path.Combine(directory, "config.xml"), config),
            File.WriteAllTextAsync(Path.Combine(directory, "users.xml"), users));
    }

    private static Process Start(string program, string directory)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add($"--config-file={Path.Combine(directory, "config.xml")}");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        File.WriteAllText(Path.Combine(directory, "server.pid"), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(directory, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return process;
    }

    private static async Task WaitUntilUpAsync(Process process, string directory, int httpPort)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"clickhouse-server exited with code {process.ExitCode} while starting: {ErrorLog(directory)}");
            }

            try
            {
                if ((await client.GetStringAsync($"http://127.0.0.1:{httpPort}/ping")).StartsWith("Ok.", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new InvalidOperationException($"clickhouse-server did not answer on port {httpPort} within 90 seconds: {ErrorLog(directory)}");
            }

            await Task.Delay(50);
        }
    }

    private static string ErrorLog(string directory)
    {
        var log = Path.Combine(directory, "error.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(5)) : "(no error log)";
    }

    private static bool PortWasTaken(string directory) => ErrorLog(directory).Contains("Address already in use", StringComparison.Ordinal);

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        ThrowawayServers.Kill(_process);
        ThrowawayServers.TryDelete(_directory);
    }

}
