using Npgsql;
using Sluice.Core.Project;

namespace Sluice.Warehouses.Postgres;

/// <summary>
/// Turns <c>postgres://user:password@host:port/database?sslmode=require</c> into an Npgsql
/// connection string. A password in the URL is used but never shown: <see cref="Mask"/> gives
/// the printable form. Without one, Npgsql falls back to PGPASSWORD and ~/.pgpass.
/// </summary>
public static class PostgresUrl
{
    /// <summary>Builds the connection string, or throws a configuration error naming the problem.</summary>
    public static string ToConnectionString(string url, string applicationName = "sluice")
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            throw new ConfigurationException($"'{Mask(url)}' is not a PostgreSQL URL; write it as postgres://user@host:5432/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = string.IsNullOrEmpty(uri.Host) ? "localhost" : uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            ApplicationName = applicationName,

            // Npgsql gives up on a statement after 30 s by default, which a model build or a
            // backfill on a large table passes; a URL's own Command Timeout still applies.
            CommandTimeout = 0,
        };

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        if (string.IsNullOrEmpty(builder.Database))
        {
            throw new ConfigurationException($"The PostgreSQL URL '{Mask(url)}' names no database; add it after the host, as in postgres://user@host:5432/analytics.");
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                builder[key] = key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? NormalizeSslMode(value) : value;
            }
            catch (ArgumentException)
            {
                throw new ConfigurationException($"The PostgreSQL URL '{Mask(url)}' has an unknown option '{key}'.");
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>The URL with any password replaced by ***.</summary>
    public static string Mask(string url) => SecretMasker.Mask(url);

    private static string NormalizeSslMode(string value) => value.ToLowerInvariant() switch
    {
        "verify-full" => "VerifyFull",
        "verify-ca" => "VerifyCA",
        _ => value,
    };
}
