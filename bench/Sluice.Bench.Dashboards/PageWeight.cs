using System.Net;
using System.Net.Http.Headers;

namespace Sluice.Bench;

/// <summary>One script or style sheet of the page: its bytes as sent with and without gzip.</summary>
internal sealed record AssetWeight(string Path, string? Encoding, long Wire, long Uncompressed);

/// <summary>The JS and CSS the dashboard page loads, as the server sends them.</summary>
internal sealed record PageWeight(IReadOnlyList<AssetWeight> Assets)
{
    public long Wire => Assets.Sum(a => a.Wire);

    public long Uncompressed => Assets.Sum(a => a.Uncompressed);

    /// <summary>
    /// Asks for each asset twice, with <c>Accept-Encoding: gzip</c> as browsers send it and with
    /// no encoding, and counts the body bytes of each answer as they come off the connection.
    /// </summary>
    public static async Task<PageWeight> MeasureAsync(Uri server, IEnumerable<string> paths)
    {
        // No automatic decompression: the body read is the body sent.
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = server };
        var assets = new List<AssetWeight>();
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            var (wire, encoding) = await BodyAsync(client, path, "gzip");
            var (plain, plainEncoding) = await BodyAsync(client, path, null);
            if (plainEncoding is not null)
            {
                throw new InvalidOperationException($"{path} came {plainEncoding}-encoded to a request that accepts no encoding.");
            }

            assets.Add(new AssetWeight(path, encoding, wire, plain));
        }

        return new PageWeight(assets);
    }

    private static async Task<(long Bytes, string? Encoding)> BodyAsync(HttpClient client, string path, string? acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(acceptEncoding));
        }

        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync();
        return (body.LongLength, response.Content.Headers.ContentEncoding.FirstOrDefault());
    }
}
