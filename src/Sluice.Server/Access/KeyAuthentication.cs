using System.Collections.Frozen;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Sluice.Server.Http;

namespace Sluice.Server.Access;

/// <summary>
/// Establishes each request's <see cref="Caller"/> from its API key, sent as
/// <c>Authorization: Bearer KEY</c> or <c>X-API-Key: KEY</c>, and turns away requests the
/// caller may not make: 401 without a known key, 403 for a tenant key on an admin endpoint.
/// Without configured keys every request is the local caller, on loopback.
/// </summary>
internal sealed class KeyAuthentication(RequestDelegate next, ServeSettings settings)
{
    /// <summary>The header that carries a key when Authorization does not.</summary>
    public const string KeyHeader = "X-API-Key";

    private readonly FrozenDictionary<string, Caller> _callers =
        settings.ApiKeys.ToFrozenDictionary(k => k.Sha256, k => new Caller(k.Name, k), StringComparer.Ordinal);

    public Task InvokeAsync(HttpContext context)
    {
        if (_callers.Count == 0)
        {
            return next(context);
        }

        var access = EndpointAccessExtensions.AccessOf(context.GetEndpoint());
        var key = KeyOf(context.Request);
        if (key is null)
        {
            return access == EndpointAccess.Open
                ? next(context)
                : Refuse(context, StatusCodes.Status401Unauthorized, $"This server needs an API key: send it as `Authorization: Bearer KEY` or `{KeyHeader}: KEY`.");
        }

        if (!_callers.TryGetValue(ServeConfigReader.Hash(key), out var caller))
        {
            return Refuse(context, StatusCodes.Status401Unauthorized, "The API key is not one of this server's keys; check it against serve.api_keys in sluice.yml.");
        }

        Caller.Set(context, caller);
        return access == EndpointAccess.Admin && !caller.IsAdmin
            ? Refuse(context, StatusCodes.Status403Forbidden, $"Key '{caller.Name}' is a tenant key; {context.Request.Path} needs an admin key.")
            : next(context);
    }

    private static string? KeyOf(HttpRequest request)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers[HeaderNames.Authorization], out var authorization)
            && authorization.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrWhiteSpace(authorization.Parameter))
        {
            return authorization.Parameter.Trim();
        }

        return request.Headers[KeyHeader] is [{ Length: > 0 } key] ? key.Trim() : null;
    }

    private static Task Refuse(HttpContext context, int status, string detail) =>
        ProblemResponses.WriteAsync(context, status, detail, headers: status == StatusCodes.Status401Unauthorized ? [new(HeaderNames.WWWAuthenticate, "Bearer")] : null);
}
