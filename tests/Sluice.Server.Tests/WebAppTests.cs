using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Sluice.Server.Tests;

/// <summary>
/// The dashboard web app as the server sends it: index.html for every client-side route,
/// revalidated on each visit; content-hashed assets cached for a year; gzip for clients that
/// take it; and the API's own paths left to the API.
/// </summary>
public sealed partial class WebAppTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sluice-web-").FullName;
    private SluiceServer? _server;

    public async Task InitializeAsync() =>
        await File.WriteAllTextAsync(Path.Combine(_directory, "sluice.yml"), "name: web\n");

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/dashboards/operations?range=30d&f.category=invoice")]
    [InlineData("/pipeline/runs")]
    [InlineData("/models/mrt_risk_daily")]
    public async Task Every_client_route_answers_the_page_revalidated_on_each_visit(string path)
    {
        using var client = await StartAsync(new ServeSettings());
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Contains("default-src 'self'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Contains("<div id=\"app\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_is_not_sent_again_while_the_browsers_copy_is_current()
    {
        using var client = await StartAsync(new ServeSettings());
        using var first = await client.GetAsync("/dashboards/operations");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var response = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, response.Headers.ETag);
    }

    [Fact]
    public async Task Hashed_assets_are_cached_for_a_year_and_gzipped_for_clients_that_take_gzip()
    {
        using var client = await StartAsync(new ServeSettings());
        var page = await client.GetStringAsync("/");
        var script = AssetReference().Matches(page).Select(m => m.Groups[1].Value).Single(p => p.EndsWith(".js", StringComparison.Ordinal));
        var style = AssetReference().Matches(page).Select(m => m.Groups[1].Value).Single(p => p.EndsWith(".css", StringComparison.Ordinal));

        using var plain = await client.GetAsync(script);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("text/javascript", plain.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", Header(plain, "Cache-Control"));
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", plain.Headers.Vary);
        var text = await plain.Content.ReadAsByteArrayAsync();

        using var asked = new HttpRequestMessage(HttpMethod.Get, script);
        asked.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var zipped = await client.SendAsync(asked);
        Assert.Equal(["gzip"], zipped.Content.Headers.ContentEncoding);
        Assert.Equal("nosniff", Header(zipped, "X-Content-Type-Options"));
        await using var unzip = new GZipStream(await zipped.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var unzipped = new MemoryStream();
        await unzip.CopyToAsync(unzipped);
        Assert.Equal(text, unzipped.ToArray());

        using var css = await client.GetAsync(style);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/assets/app-0000000000.js", "reload the page")]
    [InlineData("/api/v1/unknown", "/api/v1")]
    [InlineData("/api/v1/metrics/x/trend/extra", "/api/v1")]
    [InlineData("/health/unknown", "/api/v1")]
    [InlineData("/openapi/v2.json", "/api/v1")]
    [InlineData("/favicon.ico", "/api/v1")]
    public async Task The_servers_own_paths_never_answer_the_page(string path, string detail)
    {
        using var client = await StartAsync(new ServeSettings());
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_keys_the_page_needs_none_while_the_api_still_does()
    {
        using var client = await StartAsync(new ServeSettings { ApiKeys = [PreparedProject.Key("ops", null)] });
        var page = await client.GetStringAsync("/dashboards/operations");
        var script = AssetReference().Matches(page).Select(m => m.Groups[1].Value).First();
        using var asset = await client.GetAsync(script);
        using var api = await client.GetAsync("/api/v1/metrics");

        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpClient> StartAsync(ServeSettings settings)
    {
        _server = await SluiceServer.StartAsync(ServedProject.Parse(_directory), settings with { Port = 0 });
        return new HttpClient { BaseAddress = _server.Address };
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : string.Empty;

    [GeneratedRegex("(?:src|href)=\"(/assets/[^\"]+)\"")]
    private static partial Regex AssetReference();
}
