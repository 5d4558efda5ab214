using System.Security.Cryptography;

namespace Sluice.Server.Web;

/// <summary>One file of the dashboard web app, held in memory with its precompressed copy.</summary>
/// <param name="Path">Its path under the site's root, such as <c>assets/app-3F2A.js</c> or <c>index.html</c>.</param>
/// <param name="Content">Its bytes.</param>
/// <param name="Gzipped">The build's gzip of it, when the build wrote one.</param>
/// <param name="ContentType">Its media type, from its extension.</param>
internal sealed record WebAsset(string Path, byte[] Content, byte[]? Gzipped, string ContentType)
{
    /// <summary>A strong validator of the content, the same for the plain and the gzipped answer since both are one representation's encodings.</summary>
    public string ETag { get; } = $"\"{Convert.ToHexStringLower(SHA256.HashData(Content))[..16]}\"";

    /// <summary>The media type of a file named <paramref name="path"/>.</summary>
    public static string ContentTypeOf(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        ".png" => "image/png",
        ".woff2" => "font/woff2",
        ".txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
}
