using System.Net.Http.Headers;
using System.Text;
using Sluice.Core.Project;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// Reads <c>http://user:password@host:8123/database</c>: where the HTTP interface is, who logs
/// in and which database is the default. A password in the URL is used but never shown; without
/// one, <c>CLICKHOUSE_PASSWORD</c> from the environment is used when set.
/// </summary>
internal sealed class ClickHouseUrl(Uri endpoint, string user, string? password, string database, bool namesUser = true)
{
    /// <summary>Where the HTTP interface is: scheme, host and port.</summary>
    public Uri Endpoint { get; } = endpoint;

    /// <summary>The user who logs in.</summary>
    public string User { get; } = user;

    /// <summary>The database statements run in when they name none.</summary>
    public string Database { get; } = database;

    // A class, not a record: a record's generated ToString would print the password.
    private string? Password { get; } = password;

    /// <summary>Parses the URL, or throws a configuration error naming the problem.</summary>
    public static ClickHouseUrl Parse(string url, Func<string, string?>? environment = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ConfigurationException($"'{SecretMasker.Mask(url)}' is not a ClickHouse HTTP URL; write it as http://user@host:8123/database.");
        }

        var user = "default";
        string? password = null;
        var namesUser = !string.IsNullOrEmpty(uri.UserInfo);
        if (namesUser)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        password ??= (environment ?? Environment.GetEnvironmentVariable)("CLICKHOUSE_PASSWORD");
        var endpoint = new UriBuilder(uri.Scheme, uri.Host, uri.IsDefaultPort ? 8123 : uri.Port).Uri;
        return new ClickHouseUrl(endpoint, user, password, new ClickHouseWarehouseSettings(url).Database, namesUser);
    }

    /// <summary>
    /// This server, reached as <paramref name="main"/> is: in its database, and as its user with
    /// its password unless this URL names a user of its own.
    /// </summary>
    public ClickHouseUrl Beside(ClickHouseUrl main) =>
        namesUser ? new ClickHouseUrl(Endpoint, User, Password, main.Database) : new ClickHouseUrl(Endpoint, main.User, main.Password, main.Database);

    /// <summary>True when the server is on this machine, where compressing request bodies costs more than it saves.</summary>
    public bool IsLoopback => Endpoint.IsLoopback;

    /// <summary>The Basic authorization header for the user.</summary>
    public AuthenticationHeaderValue Authorization() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password ?? string.Empty}")));
}
