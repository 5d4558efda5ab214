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
/// <item><c>sluice:{project}:budget-index</c>: a hash from each of those count keys to its limit
/// (<c>-1</c> for none) and the time of its last change in Unix milliseconds, space-separated,
/// which lists the budgets without scanning the keys of the answers.</item>
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

    /// <summary>The hash that lists the budget counts (see the class's remarks).</summary>
    public string BudgetIndex => _prefix + "budget-index";

    /// <summary>The subject, period (<c>daily</c> or <c>monthly</c>) and period's first day of a count key; false for any other key.</summary>
    public bool TryReadBudget(string key, out string subject, out string period, out DateOnly start)
    {
        (subject, period, start) = (string.Empty, string.Empty, default);
        var parts = key.StartsWith(_prefix + "budget:", StringComparison.Ordinal) ? key[(_prefix.Length + "budget:".Length)..].Split(':') : [];
        if (parts.Length != 3)
        {
            return false;
        }

        (subject, period) = (parts[0] == "%2D" ? "-" : Uri.UnescapeDataString(parts[0]), parts[1]);
        return period switch
        {
            "daily" => DateOnly.TryParseExact(parts[2], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out start),
            "monthly" => DateOnly.TryParseExact(parts[2] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out start),
            _ => false,
        };
    }

    // A lone '-' would read as "no tenant", so it is encoded too.
    private static string Part(string text) => text == "-" ? "%2D" : Uri.EscapeDataString(text);
}
