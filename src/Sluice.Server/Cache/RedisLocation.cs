using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace Sluice.Server.Cache;

/// <summary>
/// Where the shared Redis is: <c>redis://[[user]:password@]host[:port][/db]</c>, or
/// <c>rediss://</c> for TLS. The password is kept apart from what is shown:
/// <see cref="Display"/> masks it, and nothing else prints it.
/// </summary>
public sealed record RedisLocation(string Host, int Port, int Database, string? User, string? Password, bool Tls)
{
    /// <summary>The default port of Redis.</summary>
    public const int DefaultPort = 6379;

    /// <summary>
    /// Client options for this Redis, each command given <paramref name="timeout"/>: the client
    /// connects in the background when Redis is away at start, and commands fail at once while it
    /// is disconnected instead of queueing behind a reconnect, which it makes by itself.
    /// </summary>
    public ConfigurationOptions ClientOptions(string clientName, TimeSpan timeout) => new()
    {
        EndPoints = { IPAddress.TryParse(Host, out var address) ? new IPEndPoint(address, Port) : new DnsEndPoint(Host, Port) },
        User = User,
        Password = Password,
        DefaultDatabase = Database,
        Ssl = Tls,
        ClientName = clientName,
        AbortOnConnectFail = false,
        BacklogPolicy = BacklogPolicy.FailFast,
        ConnectTimeout = (int)timeout.TotalMilliseconds,
        SyncTimeout = (int)timeout.TotalMilliseconds,
        AsyncTimeout = (int)timeout.TotalMilliseconds,
        ConnectRetry = 1,
        ReconnectRetryPolicy = new ExponentialRetry(250, 2000),
    };

    /// <summary>The location as a URL with the password masked, for health answers and logs.</summary>
    public string Display =>
        string.Create(CultureInfo.InvariantCulture, $"{(Tls ? "rediss" : "redis")}://{(Password is null ? (User is null ? "" : $"{User}@") : $"{User}:***@")}{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}/{Database}");

    /// <summary>Whether <paramref name="text"/> is meant as a Redis URL (its scheme), valid or not.</summary>
    public static bool LooksLikeUrl(string text) =>
        text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads <paramref name="url"/>; the error, which never holds the password, says what is wrong and what to write.</summary>
    public static RedisLocation Parse(string url)
    {
        const string Form = "write it as redis://[:password@]host:port[/db], such as redis://:${REDIS_PASSWORD}@cache.internal:6379/0";
        if (!LooksLikeUrl(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"'{Core.Project.SecretMasker.Mask(url)}' is not a Redis URL; {Form}.");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new FormatException($"a Redis URL takes no query or fragment ('{Core.Project.SecretMasker.Mask(url)}'); {Form}.");
        }

        var database = 0;
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0 && (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database) || database > 15_999))
        {
            throw new FormatException($"'/{path}' is not a Redis database number; end the URL with /0, /1 and so on, or leave it off for database 0.");
        }

        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = colon < 0 ? Uri.UnescapeDataString(uri.UserInfo) : Uri.UnescapeDataString(uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            user = user.Length == 0 ? null : user;
            password = password is { Length: 0 } ? null : password;
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        return new RedisLocation(host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, database, user, password, uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Keeps the password out of records' printed form.</summary>
    public override string ToString() => Display;
}
