namespace Sluice.Server.Http;

/// <summary>The answer cache: whether it is on, how long each endpoint's answers live, and how much it may hold.</summary>
public sealed record CacheSettings
{
    /// <summary>Whether answers are cached at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How long answers live, per endpoint: trend, cohorts, funnel, benchmark, rows, dimension-values.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Ttl { get; init; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["trend"] = TimeSpan.FromHours(1),
        ["cohorts"] = TimeSpan.FromHours(6),
        ["funnel"] = TimeSpan.FromHours(1),
        ["benchmark"] = TimeSpan.FromHours(6),
        ["rows"] = TimeSpan.FromHours(1),
        ["dimension-values"] = TimeSpan.FromHours(6),
    };

    /// <summary>The most bytes of answers held; past it the entries closest to expiry go first.</summary>
    public long MaxBytes { get; init; } = 256L * 1024 * 1024;
}
