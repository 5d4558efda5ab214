using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Sluice.Server.Access;

/// <summary>
/// Who may call an endpoint when the server has API keys: anybody (health probes), any key
/// (the API; a tenant key sees its tenant's rows), or admin keys only (pipeline state, jobs,
/// Prometheus metrics, cache and dependency details). Endpoints without this metadata need a key.
/// </summary>
public enum EndpointAccess
{
    /// <summary>Any key; what a tenant key sees is scoped to its tenant.</summary>
    Key,

    /// <summary>No key needed: liveness and readiness probes, which orchestrators call without one.</summary>
    Open,

    /// <summary>Admin keys only.</summary>
    Admin,
}

/// <summary>An endpoint's <see cref="EndpointAccess"/>, as endpoint metadata.</summary>
/// <param name="Access">Who may call the endpoint.</param>
public sealed record EndpointAccessMetadata(EndpointAccess Access);

/// <summary>Marks endpoints with their <see cref="EndpointAccess"/>.</summary>
public static class EndpointAccessExtensions
{
    /// <summary>Lets callers without a key reach the endpoints.</summary>
    public static TBuilder AllowWithoutKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new EndpointAccessMetadata(EndpointAccess.Open));

    /// <summary>Keeps the endpoints for admin keys.</summary>
    public static TBuilder RequireAdminKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new EndpointAccessMetadata(EndpointAccess.Admin));

    /// <summary>The access an endpoint declares; the last declaration wins, so an endpoint can override its group.</summary>
    public static EndpointAccess AccessOf(Endpoint? endpoint) =>
        endpoint?.Metadata.GetOrderedMetadata<EndpointAccessMetadata>() is { Count: > 0 } declared ? declared[^1].Access : EndpointAccess.Key;
}
