using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Testing;

/// <summary>What the throwaway servers share: finding the program, a free loopback port, killing a server and removing its folder, and cleaning up after a test process that died.</summary>
public static class ThrowawayServers
{
    /// <summary>A loopback port free at this moment (another process may take it before a server binds it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Deletes a server's folder, leaving it when something still holds it.</summary>
    public static void TryDelete(string directory)
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

    /// <summary>
    /// The installed program <paramref name="name"/>: the one <paramref name="environmentVariable"/>
    /// names, or the first in <paramref name="folders"/> and then on PATH; otherwise an error with
    /// <paramref name="installHint"/>.
    /// </summary>
    public static string FindProgram(string name, string environmentVariable, string installHint, params string[] folders)
    {
        if (Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"{environmentVariable} is {configured}, which does not exist. {installHint}");
        }

        var candidates = folders
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Select(d => Path.Combine(d, name));
        return candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(installHint);
    }

    /// <summary>
    /// Servers whose test process died without stopping them (a test host is not always given time
    /// to), found by their folders in the temp folder whose names start with <paramref name="prefix"/>
    /// and whose owner.pid names no living process: the server of server.pid is killed when
    /// <paramref name="isServer"/> says the process of that pid is still it (given the pid and the
    /// folder), and the folder goes.
    /// </summary>
    public static void RemoveStopped(string prefix, Func<int, string, bool> isServer)
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            if (ReadPid(directory, "owner.pid") is { } owner && Directory.Exists($"/proc/{owner}"))
            {
                continue;
            }

            if (Directory.GetLastWriteTimeUtc(directory) > DateTime.UtcNow.AddMinutes(-1))
            {
                // Being set up by a test process that has not written its owner file yet.
                continue;
            }

            if (ReadPid(directory, "server.pid") is { } pid && isServer(pid, directory))
            {
                try
                {
                    Process.GetProcessById(pid).Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    // Gone already.
                }
            }

            TryDelete(directory);
        }
    }

    /// <summary>True when the command line of process <paramref name="pid"/> contains <paramref name="text"/> (its folder, or its program's name).</summary>
    public static bool CommandLineHas(int pid, string text)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains(text, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Kills a server with its children, waits for it, and lets it go.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    private static int? ReadPid(string directory, string file)
    {
        try
        {
            return int.TryParse(File.ReadAllText(Path.Combine(directory, file)), out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Makes a server in a new folder under <paramref name="prefix"/> on a free port and starts
    /// it; when another process took the port between choosing it and the server binding it, tries
    /// another (five tries in all). The server is stopped when the test process exits.
    /// </summary>
    public static async Task<T> StartOnFreePortAsync<T>(string prefix, Func<string, int, T> create, Func<T, Task> start, Func<T, bool> portWasTaken, Action<T> stop)
    {
        const int Attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var server = create(Directory.CreateTempSubdirectory(prefix).FullName, FreePort());
            try
            {
                await start(server);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => stop(server);
                return server;
            }
            catch (InvalidOperationException) when (attempt < Attempts && portWasTaken(server))
            {
                stop(server);
            }
            catch
            {
                stop(server);
                throw;
            }
        }
    }
}
