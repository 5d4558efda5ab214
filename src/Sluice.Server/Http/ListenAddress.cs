using System.Net;
using Sluice.Core.Project;

namespace Sluice.Server.Http;

/// <summary>Where the server may listen.</summary>
internal static class ListenAddress
{
    /// <summary>
    /// The address for <paramref name="host"/>. Without API keys every caller sees every
    /// tenant's rows, so the server then listens on loopback only.
    /// </summary>
    public static IPAddress Resolve(string host, bool hasKeys)
    {
        var address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new ConfigurationException($"--host '{host}' is not an IP address; give one, such as 127.0.0.1 or 0.0.0.0, or localhost.");
        if (!hasKeys && !IPAddress.IsLoopback(address))
        {
            throw new ConfigurationException($"refusing to listen on {host}: no API keys are configured, so anyone reaching this address could read every tenant's data. Declare serve.api_keys in sluice.yml, or listen on 127.0.0.1.");
        }

        return address;
    }
}
