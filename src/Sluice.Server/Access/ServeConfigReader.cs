using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Sluice.Core.Project;
using Sluice.Server.Cache;
using Sluice.Server.Http;
using YamlDotNet.RepresentationModel;

namespace Sluice.Server.Access;

/// <summary>
/// Reads the <c>serve:</c> section of sluice.yml, with errors at their line:
/// <code>
/// serve:
///   host: 0.0.0.0                    # needs api_keys; default 127.0.0.1
///   port: 8080
///   cache: {enabled: true, max_mb: 256, ttl: {trend: 1h, cohorts: 6h, funnel: 1h, benchmark: 6h, rows: 1h}}
///   # or cache: redis://:${REDIS_PASSWORD}@cache.internal:6379/0, or {url: redis://..., ttl: {...}}:
///   # answers and budgets shared by every server on that Redis
///   budget: {daily: 10000, monthly: 200000}   # per tenant, unless a key says otherwise
///   rate: {per_second: 50, burst: 100}        # per key, unless a key says otherwise
///   health_per_minute: 30
///   api_keys:
///     - name: acme-dashboard
///       sha256: 5e884898da28…        # SHA-256 of the key, hex; or env: ACME_API_KEY
///       tenant: acme                 # or admin: true
///       budget: {daily: 5000}
///       rate: {per_second: 20, burst: 40}
/// </code>
/// </summary>
public static partial class ServeConfigReader
{
    private static readonly string[] ServeKeys = ["host", "port", "cache", "budget", "rate", "health_per_minute", "api_keys"];
    private static readonly string[] CacheKeys = ["enabled", "url", "max_mb", "ttl"];
    private static readonly string[] KeyKeys = ["name", "sha256", "env", "tenant", "admin", "budget", "rate"];
    private static readonly string[] BudgetKeys = ["daily", "monthly"];
    private static readonly string[] RateKeys = ["per_second", "burst"];

    /// <summary>The settings of <paramref name="project"/>'s <c>serve:</c> section, or the defaults when it has none.</summary>
    public static ServeSettings Read(SluiceProject project)
    {
        var settings = new ServeSettings();
        if (project.Section("serve") is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            return settings;
        }

        var file = project.OpenConfig();
        var entries = file.ReadMapping(node, "serve", ServeKeys);
        if (entries.TryGetValue("host", out var host))
        {
            settings = settings with { Host = file.ReadString(host.Value, "serve.host") };
        }

        if (entries.TryGetValue("port", out var port))
        {
            settings = settings with { Port = file.ReadInt(port.Value, "serve.port", 0, 65535) };
        }

        if (entries.TryGetValue("cache", out var cache))
        {
            settings = settings with { Cache = ReadCache(file, cache.Value) };
        }

        if (entries.TryGetValue("health_per_minute", out var health))
        {
            settings = settings with { HealthPerMinute = file.ReadInt(health.Value, "serve.health_per_minute", 1, 1_000_000) };
        }

        var budget = entries.TryGetValue("budget", out var budgetNode) ? ReadBudget(file, budgetNode.Value, "serve.budget") : QueryBudget.Default;
        var rate = entries.TryGetValue("rate", out var rateNode) ? ReadRate(file, rateNode.Value, "serve.rate", KeyRate.Default) : KeyRate.Default;
        return entries.TryGetValue("api_keys", out var keys)
            ? settings with { ApiKeys = ReadKeys(file, keys.Value, budget, rate, project.Environment) }
            : settings;
    }

    /// <summary>The SHA-256 of <paramref name="key"/>'s UTF-8 bytes as lowercase hex, the form sluice.yml keeps.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static CacheSettings ReadCache(ConfigFile file, YamlNode node)
    {
        if (node is YamlScalarNode)
        {
            return IsUrl(file, node, "serve.cache")
                ? new CacheSettings { Redis = ReadRedis(file, node, "serve.cache") }
                : new CacheSettings { Enabled = ConfigValues.Bool(file, node, "serve.cache") };
        }

        var entries = file.ReadMapping(node, "serve.cache", CacheKeys);
        var cache = new CacheSettings();
        if (entries.TryGetValue("enabled", out var enabled))
        {
            cache = cache with { Enabled = ConfigValues.Bool(file, enabled.Value, "serve.cache.enabled") };
        }

        if (entries.TryGetValue("url", out var url))
        {
            cache = cache with { Redis = ReadRedis(file, url.Value, "serve.cache.url") };
        }

        if (entries.TryGetValue("max_mb", out var max))
        {
            cache = cache with { MaxBytes = file.ReadInt(max.Value, "serve.cache.max_mb", 1, 1_000_000) * 1024L * 1024 };
        }

        if (entries.TryGetValue("ttl", out var ttl))
        {
            var ttls = new Dictionary<string, TimeSpan>(cache.Ttl, StringComparer.Ordinal);
            foreach (var (endpoint, value) in file.ReadMapping(ttl.Value, "serve.cache.ttl", [.. cache.Ttl.Keys]))
            {
                ttls[endpoint] = ConfigValues.Duration(file, value.Value, $"serve.cache.ttl.{endpoint}");
            }

            cache = cache with { Ttl = ttls };
        }

        return cache;
    }

    // A URL, maybe from the environment (${REDIS_URL}); one of another scheme is refused here,
    // where the message can say what is supported.
    private static bool IsUrl(ConfigFile file, YamlNode node, string what)
    {
        var text = file.ReadString(node, what);
        return RedisLocation.LooksLikeUrl(text) || (text.Contains("://", StringComparison.Ordinal)
            ? throw file.Error(node, $"{what}: the shared cache is Redis only; write redis://[:password@]host:port[/db] (rediss:// for TLS), or true or false for the in-memory cache.")
            : false);
    }

    // The URL's password usually comes from the environment (${REDIS_PASSWORD}); the error never
    // shows it, nor the expanded URL.
    private static RedisLocation ReadRedis(ConfigFile file, YamlNode node, string what)
    {
        try
        {
            return RedisLocation.Parse(file.ReadString(node, what));
        }
        catch (FormatException e)
        {
            throw file.Error(node, $"{what}: {e.Message}");
        }
    }

    private static QueryBudget ReadBudget(ConfigFile file, YamlNode node, string what)
    {
        var entries = file.ReadMapping(node, what, BudgetKeys);
        long? Limit(string key) => entries.TryGetValue(key, out var value) ? file.ReadInt(value.Value, $"{what}.{key}", 1) : null;
        var budget = new QueryBudget(Limit("daily"), Limit("monthly"));
        return budget is { Daily: null, Monthly: null }
            ? throw file.Error(node, $"{what} needs daily, monthly or both, such as `{{daily: 10000}}`.")
            : budget;
    }

    private static KeyRate ReadRate(ConfigFile file, YamlNode node, string what, KeyRate fallback)
    {
        var entries = file.ReadMapping(node, what, RateKeys);
        var perSecond = entries.TryGetValue("per_second", out var per) ? file.ReadInt(per.Value, $"{what}.per_second", 1, 1_000_000) : fallback.PerSecond;
        var burst = entries.TryGetValue("burst", out var b) ? file.ReadInt(b.Value, $"{what}.burst", 1, 1_000_000) : Math.Max(fallback.Burst, perSecond);
        return burst >= perSecond
            ? new KeyRate(perSecond, burst)
            : throw file.Error(node, $"{what}: burst ({burst}) must be at least per_second ({perSecond}), or the bucket could never hold a second's requests.");
    }

    private static List<ApiKey> ReadKeys(ConfigFile file, YamlNode node, QueryBudget tenantBudget, KeyRate rate, Func<string, string?> environment)
    {
        if (node is not YamlSequenceNode list)
        {
            throw file.Error(node, "serve.api_keys must be a list of keys, each starting with `- name:`.");
        }

        var keys = new List<ApiKey>();
        var tenantBudgets = new Dictionary<string, (QueryBudget Budget, YamlNode At)>(StringComparer.Ordinal);
        foreach (var item in list.Children)
        {
            var key = ReadKey(file, item, tenantBudget, rate, environment);
            if (keys.Any(k => k.Name == key.Name))
            {
                throw file.Error(item, $"serve.api_keys: the name '{key.Name}' is used twice; give each key its own name.");
            }

            if (keys.Any(k => k.Sha256 == key.Sha256))
            {
                throw file.Error(item, $"serve.api_keys: key '{key.Name}' is the same key as '{keys.First(k => k.Sha256 == key.Sha256).Name}'; give each holder its own key.");
            }

            // A tenant's budget is shared by its keys, so they must agree on it.
            if (key.Tenant is not null)
            {
                if (tenantBudgets.TryGetValue(key.Tenant, out var earlier) && earlier.Budget != key.Budget)
                {
                    throw file.Error(item, $"serve.api_keys: key '{key.Name}' gives tenant '{key.Tenant}' a different budget than the key at line {earlier.At.Start.Line}; a tenant's keys share one budget, so give them the same one.");
                }

                tenantBudgets.TryAdd(key.Tenant, (key.Budget!, item));
            }

            keys.Add(key);
        }

        return keys;
    }

    private static ApiKey ReadKey(ConfigFile file, YamlNode item, QueryBudget tenantBudget, KeyRate rate, Func<string, string?> environment)
    {
        var entries = file.ReadMapping(item, "an API key", KeyKeys);
        var name = entries.TryGetValue("name", out var nameNode)
            ? file.ReadString(nameNode.Value, "name")
            : throw file.Error(item, "an API key needs a name, such as `name: acme-dashboard`; logs and metrics show it in place of the key.");
        if (!KeyName().IsMatch(name))
        {
            throw file.Error(nameNode.Value, $"API key name '{name}' may hold letters, digits, '_', '-' and '.' only (up to 64).");
        }

        var what = $"API key '{name}'";
        var hash = (entries.TryGetValue("sha256", out var sha), entries.TryGetValue("env", out var env)) switch
        {
            (true, true) => throw file.Error(env.Key, $"{what}: give sha256 or env, not both."),
            (false, false) => throw file.Error(item, $"{what} needs sha256 (the SHA-256 of the key, hex; `printf %s \"$KEY\" | sha256sum`) or env (an environment variable holding the key)."),
            (true, false) => ReadHash(file, sha.Value, what),
            (false, true) => HashFromEnvironment(file, env.Value, what, environment),
        };

        var admin = entries.TryGetValue("admin", out var adminNode) && ConfigValues.Bool(file, adminNode.Value, "admin");
        var tenant = entries.TryGetValue("tenant", out var tenantNode) ? file.ReadString(tenantNode.Value, "tenant") : null;
        if (admin == (tenant is not null))
        {
            throw file.Error(item, admin
                ? $"{what}: an admin key sees every tenant; remove tenant, or admin for a key that sees one tenant."
                : $"{what} needs tenant (the one tenant whose rows it sees) or `admin: true`.");
        }

        // Tenants get the default budget; an admin key is unlimited unless it declares one.
        var budget = entries.TryGetValue("budget", out var budgetNode) ? ReadBudget(file, budgetNode.Value, $"{what}: budget")
            : tenant is not null ? tenantBudget
            : null;
        var keyRate = entries.TryGetValue("rate", out var rateNode) ? ReadRate(file, rateNode.Value, $"{what}: rate", rate) : rate;
        return new ApiKey(name, hash, tenant, budget, keyRate);
    }

    private static string ReadHash(ConfigFile file, YamlNode node, string what)
    {
        var text = file.ReadString(node, "sha256").ToLowerInvariant();
        return HexHash().IsMatch(text)
            ? text
            : throw file.Error(node, $"{what}: sha256 must be 64 hex digits, the SHA-256 of the key (`printf %s \"$KEY\" | sha256sum`); to keep the key itself out of the file use env.");
    }

    private static string HashFromEnvironment(ConfigFile file, YamlNode node, string what, Func<string, string?> environment)
    {
        var variable = file.ReadString(node, "env");
        var key = environment(variable);
        if (string.IsNullOrEmpty(key))
        {
            throw file.Error(node, $"{what}: the environment variable {variable} is not set; set it to the key before starting the server.");
        }

        return key.Length >= 16
            ? Hash(key)
            : throw file.Error(node, string.Create(CultureInfo.InvariantCulture, $"{what}: the key in {variable} has {key.Length} characters; use at least 16 random ones (`openssl rand -hex 24`)."));
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex KeyName();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HexHash();
}
