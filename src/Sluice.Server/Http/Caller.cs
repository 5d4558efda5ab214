using Microsoft.AspNetCore.Http;
using Sluice.Server.Access;

namespace Sluice.Server.Http;

/// <summary>Who sent a request, as authentication established it.</summary>
/// <param name="Name">The API key's name, or "local" when the server runs without keys.</param>
/// <param name="Key">The key, or null for the local caller.</param>
public sealed record Caller(string Name, ApiKey? Key)
{
    private static readonly object ItemKey = new();

    /// <summary>The caller of a server without keys, on loopback: sees everything, unlimited.</summary>
    public static Caller Local { get; } = new("local", null);

    /// <summary>The tenant whose rows alone the caller sees, or null for an admin.</summary>
    public string? Tenant => Key?.Tenant;

    /// <summary>Whether the caller sees every tenant and may use the admin endpoints.</summary>
    public bool IsAdmin => Tenant is null;

    /// <summary>The caller of <paramref name="context"/>.</summary>
    public static Caller Of(HttpContext context) => context.Items.TryGetValue(ItemKey, out var caller) && caller is Caller known ? known : Local;

    /// <summary>Records <paramref name="caller"/> as the caller of <paramref name="context"/>.</summary>
    public static void Set(HttpContext context, Caller caller) => context.Items[ItemKey] = caller;
}
