using Microsoft.AspNetCore.Http;

namespace Sluice.Server.Http;

/// <summary>
/// A request the API refuses: answered as an RFC 7807 problem whose detail says what is wrong
/// and what to send instead, naming the parameter at fault.
/// </summary>
/// <param name="status">The HTTP status: 400 for a bad parameter, 404 for an unknown name.</param>
/// <param name="detail">One sentence for the caller.</param>
/// <param name="parameter">The query or route parameter at fault, when one is.</param>
public sealed class ApiProblem(int status, string detail, string? parameter = null) : Exception(detail)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The query or route parameter at fault, or null.</summary>
    public string? Parameter { get; } = parameter;

    /// <summary>A bad value of <paramref name="parameter"/>.</summary>
    public static ApiProblem BadParameter(string parameter, string detail) => new(StatusCodes.Status400BadRequest, detail, parameter);

    /// <summary>A name in the path that the catalog does not hold.</summary>
    public static ApiProblem NotFound(string parameter, string detail) => new(StatusCodes.Status404NotFound, detail, parameter);
}
