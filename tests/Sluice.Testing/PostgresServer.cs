using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Sluice.Testing;

/// <summary>
/// A throwaway PostgreSQL server for a test run: initdb on a temp folder, pg_ctl start on a
/// free loopback port with durability off (tests need speed, not crash safety), stopped and
/// deleted when the test process exits. One per test process, shared by its tests; each test
/// takes its own database from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer
{
    private const string DataDirectoryPrefix = "sluice-pg-";
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private static int s_databases;

    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly string? _user;

    private PostgresServer(string binDirectory, string dataDirectory, string? user, int port)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        _user = user;
        Port = port;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The server, started on first use.</summary>
    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>A connection string for <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false;Include Error Detail=true";

    /// <summary>A postgres:// URL for <paramref name="database"/>, as sluice.yml would hold it.</summary>
    public string Url(string database) => $"postgres://postgres@127.0.0.1:{Port}/{database}";

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

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = PostgresBinaries.FindBinDirectory();
        var user = PostgresBinaries.RunAsUser();
        RemoveStoppedServers();
        var data = Directory.CreateTempSubdirectory(DataDirectoryPrefix).FullName;
        if (user is not null)
        {
            await RunAsync("chown", ["-R", user, data], null);
        }

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], user);
        var port = FreePort();
        var options = $"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", Path.Combine(data, "server.log"), "-w", "-t", "60", "start"], user);

        var server = new PostgresServer(bin, data, user, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    private void Stop()
    {
        try
        {
            RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], _user).GetAwaiter().GetResult();
        }
        finally
        {
            TryDelete(_dataDirectory);
        }
    }

    /// <summary>
    /// A test host that is killed before its exit handler finishes leaves a data folder behind;
    /// folders without a postmaster.pid belong to no running server and go.
    /// </summary>
    private static void RemoveStoppedServers()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), DataDirectoryPrefix + "*"))
        {
            if (!File.Exists(Path.Combine(directory, "postmaster.pid")))
            {
                TryDelete(directory);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless; the next run removes it.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
