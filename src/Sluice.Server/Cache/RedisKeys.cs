using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sluice.Server.Cache;

/// <summary>
/// The names of what Sluice keeps in Redis, all under <c>sluice:{project}:</c> so that projects
/// can share a Redis:
/// <list type="bullet">
/// <item><c>sluice:{project}:{endpoint}:{tenant}:{hash}</c>: an answer (<c>-</c> for no tenant;
/// the hash is the SHA-256 of the request's canonical key, which holds the tenant too).</item>
/// <item><c>sluice:{project}:stats:hits</c> and <c>:misses</c>: the cache's counts over every server.</item>
/// <item><c>sluice:{project}:budget:{subject}:daily:{yyyy-MM-dd}</c> and
/// <c>:monthly:{yyyy-MM}</c>: the permits claimed from a budget.</item>
/// </list>
/// Each part is percent-encoded, so a ':' in a project, tenant or key name cannot make two keys one.
/// </summary>
internal sealed class RedisKeys(string project)
{
    private readonly string _prefix = $"sluice:{Part(project)}:";

    /// <summary>The cache's hits over every server.</summary>
    public string Hits => _prefix + "stats:hits";

    /// <summary>The cache's misses over every server.</summary>
    public string Misses => _prefix + "stats:misses";

    /// <summary>The key of an answer.</summary>
    public string Answer(AnswerKey key) =>
        $"{_prefix}{Part(key.Endpoint)}:{(key.Tenant is null ? "-" : Part(key.Tenant))}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.Request)))}";

    /// <summary>The count of a subject's permits claimed on <paramref name="day"/>.</summary>
    public string Daily(string subject, DateOnly day) =>
        $"{_prefix}budget:{Part(subject)}:daily:{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>The count of a subject's permits claimed in <paramref name="day"/>'s month.</summary>
    public string Monthly(string subject, DateOnly day) =>
        $"{_prefix}budget:{Part(subject)}:monthly:{day.ToString("yyyy-MM", CultureInfo.InvariantCulture)}";

    // A lone '-' would read as "no tenant", so it is encoded too.
    private static string Part(string text) => text == "-" ? "%2D" : Uri.EscapeDataString(text);
}
