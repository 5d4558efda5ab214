using Microsoft.AspNetCore.Http;

namespace Sluice.Server.Http;

/// <summary>Who sent a request, as authentication established it: the key's name and, for a tenant key, its tenant.</summary>
/// <param name="Name">The API key's name, or "local" when the server runs without keys.</param>
/// <param name="Tenant">The tenant whose rows alone the caller sees, or null for an admin.</param>
public sealed record Caller(string Name, string? Tenant)
{
    private static readonly object ItemKey = new();

    /// <summary>The caller of a server without keys, on loopback: sees everything.</summary>
    public static Caller Local { get; } = new("local", null);

    /// <summary>The caller of <paramref name="context"/>.</summary>
    public static Caller Of(HttpContext context) => context.Items.TryGetValue(ItemKey, out var caller) && caller is Caller known ? known : Local;

    /// <summary>Records <paramref name="caller"/> as the caller of <paramref name="context"/>.</summary>
    public static void Set(HttpContext context, Caller caller) => context.Items[ItemKey] = caller;
}
