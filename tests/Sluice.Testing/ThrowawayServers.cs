using System.Net;
using System.Net.Sockets;

namespace Sluice.Testing;

/// <summary>What the throwaway servers share: a free loopback port, and removing their folders.</summary>
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
}
