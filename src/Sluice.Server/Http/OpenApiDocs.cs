using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Sluice.Server.Access;

namespace Sluice.Server.Http;

/// <summary>
/// One query-string parameter of an endpoint, for <c>/openapi/v1.json</c>. Endpoints read their
/// query strings through <see cref="RequestParameters"/>, so the parameters are declared here
/// rather than inferred from the handlers' signatures.
/// </summary>
/// <param name="Name">The parameter, as written in the query string.</param>
/// <param name="Description">What it does, its default and its bounds.</param>
/// <param name="Kind">Its JSON schema type: string, integer or a YYYY-MM-DD date.</param>
/// <param name="Required">Whether a request without it is refused.</param>
internal sealed record QueryParameter(string Name, string Description, QueryParameterKind Kind = QueryParameterKind.Text, bool Required = false)
{
    /// <summary>A bracketed family of parameters such as <c>filter[dimension]=value</c>, written as a deep object.</summary>
    public bool Bracketed { get; init; }

    /// <summary>An optional YYYY-MM-DD day.</summary>
    public static QueryParameter Day(string name, string description) => new(name, description, QueryParameterKind.Date);

    /// <summary>An optional whole number.</summary>
    public static QueryParameter Number(string name, string description) => new(name, description, QueryParameterKind.Integer);
}

/// <summary>The JSON schema type of a <see cref="QueryParameter"/>.</summary>
internal enum QueryParameterKind
{
    /// <summary>Text.</summary>
    Text,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A day written YYYY-MM-DD.</summary>
    Date,
}

/// <summary>
/// The OpenAPI description of the server at <c>/openapi/v1.json</c>: every endpoint with its
/// query parameters, who may call it (API keys as bearer tokens or the X-API-Key header), and
/// the problem answers every endpoint can give.
/// </summary>
internal static class OpenApiDocs
{
    /// <summary>Where the description is served.</summary>
    public const string Path = "/openapi/v1.json";

    private const string BearerScheme = "bearer";
    private const string HeaderScheme = "api_key";

    /// <summary>Declares that an endpoint reads the warehouse, and so answers 503 while the warehouse does not answer.</summary>
    public static RouteHandlerBuilder ReadsWarehouse(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(WarehouseReader.Instance);

    /// <summary>Declares the query parameters an endpoint reads.</summary>
    public static RouteHandlerBuilder WithQuery(this RouteHandlerBuilder builder, params QueryParameter[] parameters) =>
        builder.WithMetadata([.. parameters]);

    /// <summary>Registers the description's generator.</summary>
    public static IServiceCollection AddSluiceOpenApi(this IServiceCollection services, ServeSettings settings) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Sluice metrics API",
                    Version = settings.Version,
                    Description = "Trends, cohorts, funnels, benchmarks and rows of the project's metrics.yml; pipeline state; health. "
                        + "Errors are RFC 7807 problem details naming the parameter at fault.",
                };
                if (settings.ApiKeys.Count > 0)
                {
                    document.Components ??= new OpenApiComponents();
                    document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                    {
                        [BearerScheme] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An API key from sluice.yml's serve.api_keys." },
                        [HeaderScheme] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-API-Key", Description = "The same key in a header." },
                    };
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                operation.Parameters ??= [];
                foreach (var parameter in metadata.OfType<QueryParameter>())
                {
                    operation.Parameters.Add(Describe(parameter));
                }

                var access = metadata.OfType<EndpointAccessMetadata>().LastOrDefault()?.Access ?? EndpointAccess.Key;
                operation.Responses ??= [];
                if (context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true)
                {
                    operation.Responses.TryAdd("400", Problem("A parameter is missing, unknown or out of range; the problem's `parameter` names it."));
                    operation.Responses.TryAdd("429", Problem("Over the tenant's query budget or the key's rate; Retry-After says when to retry."));
                }

                if (metadata.OfType<WarehouseReader>().Any())
                {
                    operation.Responses.TryAdd("503", Problem("The warehouse does not answer (restarting or down); Retry-After says when to retry."));
                }

                if (settings.ApiKeys.Count > 0 && access != EndpointAccess.Open)
                {
                    operation.Responses.TryAdd("401", Problem("No API key, or one the server does not know."));
                    if (access == EndpointAccess.Admin)
                    {
                        operation.Responses.TryAdd("403", Problem("A tenant key; this endpoint is for admin keys."));
                    }

                    operation.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(HeaderScheme, context.Document)] = [] },
                    ];
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>Serves the description; nobody needs a key to read it.</summary>
    public static void MapSluiceOpenApi(this WebApplication app) =>
        app.MapOpenApi(Path).AllowWithoutKey();

    private static OpenApiParameter Describe(QueryParameter parameter)
    {
        var schema = parameter.Kind switch
        {
            QueryParameterKind.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            QueryParameterKind.Date => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
            _ => new OpenApiSchema { Type = JsonSchemaType.String },
        };
        return new OpenApiParameter
        {
            Name = parameter.Name,
            In = ParameterLocation.Query,
            Description = parameter.Description,
            Required = parameter.Required,
            Style = parameter.Bracketed ? ParameterStyle.DeepObject : null,
            Explode = parameter.Bracketed,
            Schema = parameter.Bracketed ? new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = schema } : schema,
        };
    }

    private static OpenApiResponse Problem(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } },
        },
    };
}

/// <summary>Endpoint metadata: the endpoint reads the warehouse (see <see cref="OpenApiDocs.ReadsWarehouse"/>).</summary>
internal sealed class WarehouseReader
{
    public static readonly WarehouseReader Instance = new();
}
