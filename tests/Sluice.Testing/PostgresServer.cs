using System.Diagnostics;
using Npgsql;

namespace Sluice.Testing;

/// <summary>
/// A throwaway PostgreSQL server for a test run: initdb on a temp folder, pg_ctl start on a
/// free loopback port with durability off (tests need speed, not crash safety), stopped and
/// deleted when the test process exits. One per test process, shared by its tests; each test
/// takes its own database from <see cref="CreateDatabaseAsync"/>. A test that restarts a server or
/// needs password authentication starts a private one with <see cref="StartPrivateAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string DataDirectoryPrefix = "sluice-pg-";
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private static int s_databases;

    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly string? _user;
    private readonly string _options;
    private readonly bool _shared;
    private int _stopped;

    private PostgresServer(string binDirectory, string dataDirectory, string? user, int port, string options, string? password, bool shared)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        _user = user;
        _options = options;
        _shared = shared;
        Port = port;
        Password = password;
    }

    /// <summary>The superuser's password when the server asks for one over TCP; null for trust.</summary>
    public string? Password { get; }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The server, started on first use.</summary>
    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>
    /// A server of the caller's own, stopped and deleted on dispose. With <paramref name="password"/>,
    /// TCP connections must authenticate with scram-sha-256 as postgres with that password.
    /// </summary>
    public static Task<PostgresServer> StartPrivateAsync(string? password = null) => StartAsync(password, shared: false);

    /// <summary>Stops the server at once, as a crash would: connections are cut and new ones refused.</summary>
    public Task KillAsync() => RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], _user);

    /// <summary>Starts a killed or stopped server again on the same port.</summary>
    public Task StartAgainAsync() => StartServerAsync(_binDirectory, _dataDirectory, _options, _user);

    /// <summary>
    /// Restarts the server as an administrator would (<c>pg_ctl restart -m fast</c>): every
    /// connection, idle ones included, is closed with SQLSTATE 57P01; returns when it accepts
    /// connections again.
    /// </summary>
    public Task RestartAsync() =>
        RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-o", _options, "-l", Path.Combine(_dataDirectory, "server.log"), "-m", "fast", "-w", "-t", "60", "restart"], _user);

    /// <summary>Stops the server as an administrator would (<c>pg_ctl stop -m fast</c>); <see cref="StartAgainAsync"/> starts it again.</summary>
    public Task StopAsync() => RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "fast", "-w", "stop"], _user);

    /// <summary>Stops and deletes a private server; the shared one lives until the test process exits.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_shared)
        {
            Stop();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A connection string for <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false;Include Error Detail=true" + (Password is null ? "" : $";Password={Password}");

    /// <summary>A postgres:// URL for <paramref name="database"/>, as sluice.yml would hold it.</summary>
    public string Url(string database) => $"postgres://postgres{(Password is null ? "" : ":" + Password)}@127.0.0.1:{Port}/{database}";

    /// <summary>Creates a fresh database whose name starts with <paramref name="prefix"/> and returns its URL.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{new string(prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(40).ToArray())}_{Environment.ProcessId}_{Interlocked.Increment(ref s_databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return Url(name);
    }

    /// <summary>
    /// A dbt profiles.yml whose profile <paramref name="profile"/> targets a fresh database on this
    /// server (named after the profile), schema <c>main</c>.
    /// </summary>
    public async Task<string> DbtProfilesAsync(string profile)
    {
        var url = new Uri(await CreateDatabaseAsync(profile));
        return $"""
            {profile}:
              target: pg
              outputs:
                pg:
                  type: postgres
                  host: 127.0.0.1
                  port: {url.Port}
                  user: postgres
                  password: "{Password ?? string.Empty}"
                  dbname: {url.AbsolutePath.TrimStart('/')}
                  schema: main
                  threads: 4
            """;
    }

    private static Task<PostgresServer> StartAsync() => StartAsync(null, shared: true);

    private static async Task<PostgresServer> StartAsync(string? password, bool shared)
    {
        var bin = PostgresBinaries.FindBinDirectory();
        var user = PostgresBinaries.RunAsUser();
        RemoveStoppedServers();
        var data = Directory.CreateTempSubdirectory(DataDirectoryPrefix).FullName;
        if (user is not null)
        {
            await RunAsync("chown", ["-R", user, data], null);
        }

        List<string> initdb = ["-D", data, "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"];
        var passwordFile = password is null ? null : Path.Combine(Path.GetTempPath(), $"sluice-pgpass-{Guid.NewGuid():N}");
        try
        {
            if (passwordFile is null)
            {
                initdb.Add("--auth=trust");
            }
            else
            {
                await File.WriteAllTextAsync(passwordFile, password);
                if (user is not null)
                {
                    await RunAsync("chown", [user, passwordFile], null);
                }

                initdb.AddRange(["--auth-local=trust", "--auth-host=scram-sha-256", $"--pwfile={passwordFile}"]);
            }

            await RunAsync(Path.Combine(bin, "initdb"), initdb, user);
        }
        finally
        {
            if (passwordFile is not null)
            {
                File.Delete(passwordFile);
            }
        }

        var (port, options) = await StartOnFreePortAsync(bin, data, user);
        var server = new PostgresServer(bin, data, user, port, options, password, shared);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    // PostgreSQL cannot be told to pick a port itself. A port found free can be taken by another
    // process before the server binds it; then the server fails to start, and is started again
    // on another port.
    private static async Task<(int Port, string Options)> StartOnFreePortAsync(string bin, string data, string? user)
    {
        const int Attempts = 5;
        var log = Path.Combine(data, "server.log");
        for (var attempt = 1; ; attempt++)
        {
            var port = ThrowawayServers.FreePort();
            var options = $"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
            var logged = File.Exists(log) ? new FileInfo(log).Length : 0;
            try
            {
                await StartServerAsync(bin, data, options, user);
                return (port, options);
            }
            catch (InvalidOperationException) when (attempt < Attempts && PortWasTaken(log, logged))
            {
                // Another process took the port; try another.
            }
        }
    }

    private static bool PortWasTaken(string log, long from)
    {
        using var reader = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        reader.Seek(from, SeekOrigin.Begin);
        return new StreamReader(reader).ReadToEnd().Contains("Address already in use", StringComparison.Ordinal);
    }

    private static Task StartServerAsync(string bin, string data, string options, string? user) =>
        RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", Path.Combine(data, "server.log"), "-w", "-t", "60", "start"], user);

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], _user).GetAwaiter().GetResult();
        }
        finally
        {
            ThrowawayServers.TryDelete(_dataDirectory);
        }
    }

    /// <summary>
    /// A test host that is killed before its exit handler finishes leaves a data folder behind;
    /// folders without a postmaster.pid that have not changed for ten minutes belong to no server and go.
    /// </summary>
    private static void RemoveStoppedServers()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), DataDirectoryPrefix + "*"))
        {
            // Young folders may be servers that are starting up or restarting in a parallel test.
            if (!File.Exists(Path.Combine(directory, "postmaster.pid")) && Directory.GetLastWriteTimeUtc(directory) < DateTime.UtcNow.AddMinutes(-10))
            {
                ThrowawayServers.TryDelete(directory);
            }
        }
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, string? user)
    {
        var start = user is null ? new ProcessStartInfo(program) : new ProcessStartInfo("runuser", ["-u", user, "--", program]);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {await error}{await output}");
        }
    }
}
