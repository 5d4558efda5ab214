namespace Sluice.Server.Access;

/// <summary>
/// One API key from <c>serve.api_keys</c> in sluice.yml: who holds it, what it may see and how
/// much it may ask. Only the key's SHA-256 is kept.
/// </summary>
/// <param name="Name">The key's name, shown in logs and metrics in place of the key.</param>
/// <param name="Sha256">The SHA-256 of the key's UTF-8 bytes, as lowercase hex.</param>
/// <param name="Tenant">The tenant whose rows alone the key sees, or null for an admin key.</param>
/// <param name="Budget">How many API requests the key's tenant (or, for an admin key, the key) may make; null for none.</param>
/// <param name="Rate">How fast the key may send requests.</param>
public sealed record ApiKey(string Name, string Sha256, string? Tenant, QueryBudget? Budget, KeyRate Rate)
{
    /// <summary>Whether the key sees every tenant and may use the admin endpoints.</summary>
    public bool IsAdmin => Tenant is null;

    /// <summary>
    /// What the key's requests count against: the tenant, shared by all of its keys, or the admin
    /// key itself; null when the key has no budget.
    /// </summary>
    public string? BudgetSubject => Budget is null ? null : Tenant is not null ? $"tenant:{Tenant}" : $"key:{Name}";
}

/// <summary>How many API requests a tenant may make per UTC day and per UTC month.</summary>
/// <param name="Daily">Requests per day, or null for no daily limit.</param>
/// <param name="Monthly">Requests per month, or null for no monthly limit.</param>
public sealed record QueryBudget(long? Daily, long? Monthly)
{
    /// <summary>The budget of a tenant when sluice.yml sets none: 10,000 requests a day.</summary>
    public static QueryBudget Default { get; } = new(10_000, null);
}

/// <summary>A key's token bucket: <paramref name="PerSecond"/> requests a second on average, bursts up to <paramref name="Burst"/>.</summary>
public sealed record KeyRate(int PerSecond, int Burst)
{
    /// <summary>The rate of a key when sluice.yml sets none.</summary>
    public static KeyRate Default { get; } = new(50, 100);
}
