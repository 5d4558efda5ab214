using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Server.Tests;

/// <summary><c>/openapi/v1.json</c> describes every endpoint, its parameters and who may call it.</summary>
public sealed class OpenApiTests(DuckDbPreparedProject project) : IClassFixture<DuckDbPreparedProject>
{
    private static readonly string[] Paths =
    [
        "/api/v1", "/api/v1/metrics", "/api/v1/metrics/{name}/trend", "/api/v1/metrics/{name}/cohorts", "/api/v1/metrics/{name}/dimensions/{dimension}/values", "/api/v1/funnels/{name}",
        "/api/v1/benchmarks/{name}", "/api/v1/models/{model}/rows", "/api/v1/runs", "/api/v1/checks", "/api/v1/sync",
        "/api/v1/status", "/api/v1/meta/counts", "/api/v1/jobs", "/api/v1/jobs/{id}", "/api/v1/schedules", "/api/v1/schedules/{name}/trigger", "/api/v1/alerts", "/api/v1/alerts/{rule}/silence", "/api/v1/dashboards", "/api/v1/dashboards/{name}", "/api/v1/lineage", "/api/v1/models/{name}", "/api/v1/server", "/api/v1/parity", "/api/v1/budgets", "/health", "/health/live", "/health/ready", "/health/dependencies",
        "/health/cache", "/metrics",
    ];

    [Fact]
    public async Task The_description_lists_every_endpoint_with_its_parameters_and_keys_without_needing_a_key()
    {
        var settings = new ServeSettings { ApiKeys = [PreparedProject.Key("ops", null), PreparedProject.Key("acme", "acme")] };
        await using var server = await project.StartAsync(settings);
        using var anonymous = PreparedProject.Client(server, null);
        using var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths");
        Assert.Equal(Paths.Order(StringComparer.Ordinal), paths.EnumerateObject().Select(p => p.Name).Where(p => p != "/openapi/v1.json").Order(StringComparer.Ordinal));

        var trend = paths.GetProperty("/api/v1/metrics/{name}/trend").GetProperty("get");
        Assert.Equal("trend", trend.GetProperty("operationId").GetString());
        var parameters = trend.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal(["filter", "from", "granularity", "group_by", "name", "page", "page_size", "to"], parameters.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("path", parameters["name"].GetProperty("in").GetString());
        Assert.Equal("date", parameters["from"].GetProperty("schema").GetProperty("format").GetString());
        Assert.Equal("deepObject", parameters["filter"].GetProperty("style").GetString());
        Assert.True(trend.GetProperty("responses").TryGetProperty("200", out var ok) && ok.GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(trend.GetProperty("responses").TryGetProperty("400", out _));
        Assert.True(trend.GetProperty("responses").TryGetProperty("429", out _));
        Assert.True(trend.GetProperty("responses").TryGetProperty("503", out _));
        Assert.False(paths.GetProperty("/api/v1/metrics").GetProperty("get").GetProperty("responses").TryGetProperty("503", out _));

        var cohorts = paths.GetProperty("/api/v1/metrics/{name}/cohorts").GetProperty("get").GetProperty("parameters").EnumerateArray();
        Assert.True(cohorts.Single(p => p.GetProperty("name").GetString() == "by").GetProperty("required").GetBoolean());

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-API-Key", schemes.GetProperty("api_key").GetProperty("name").GetString());
        var runs = paths.GetProperty("/api/v1/runs").GetProperty("get");
        Assert.True(runs.GetProperty("responses").TryGetProperty("403", out _));
        Assert.Equal(2, runs.GetProperty("security").GetArrayLength());
        Assert.False(trend.GetProperty("responses").TryGetProperty("403", out _));
        Assert.False(paths.GetProperty("/health/live").GetProperty("get").TryGetProperty("security", out _));
        Assert.True(paths.GetProperty("/metrics").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/plain", out _));
    }

    [Fact]
    public async Task Without_keys_the_description_declares_no_security()
    {
        await using var server = await project.StartAsync(new ServeSettings());
        using var client = PreparedProject.Client(server, null);
        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        Assert.False(document.TryGetProperty("components", out var components) && components.TryGetProperty("securitySchemes", out _));
        Assert.False(document.GetProperty("paths").GetProperty("/api/v1/runs").GetProperty("get").TryGetProperty("security", out _));
        Assert.Equal("Sluice metrics API", document.GetProperty("info").GetProperty("title").GetString());
    }
}

/// <summary>
/// The web app's types are generated from its copy of the OpenAPI document (web/src/api/openapi.json),
/// so that a changed answer breaks the web build; the copy must be the server's document.
/// </summary>
public sealed class WebOpenApiCopyTests(DuckDbPreparedProject project) : IClassFixture<DuckDbPreparedProject>
{
    [Fact]
    public async Task The_web_apps_copy_of_the_openapi_document_is_the_servers()
    {
        await using var server = await project.StartAsync(new ServeSettings());
        using var client = PreparedProject.Client(server, null);
        var served = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var copy = Path.Combine(RepositoryRoot(), "web", "src", "api", "openapi.json");

        // The version names the commit and the servers the port: neither is part of any answer's shape.
        served["info"]!["version"] = "0.0.0";
        served.AsObject().Remove("servers");
        var text = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable("SLUICE_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(copy, text);
        }

        Assert.True(text == await File.ReadAllTextAsync(copy), $"{copy} is not the server's OpenAPI document; refresh it with `SLUICE_UPDATE_OPENAPI=1 dotnet test tests/Sluice.Server.Tests --filter WebOpenApiCopyTests` and rebuild, so that the web app's types follow the API.");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Sluice.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Sluice.slnx above {AppContext.BaseDirectory}; the tests run from a build inside the checkout.");
    }
}
